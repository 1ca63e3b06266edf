import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';

export interface RunOptions {
  kubeconfig?: string;
  namespace?: string;
  leaderElect: boolean;
}

export function registerRun(program: Command, _io: CliIO): Command {
  return program
    .command('run')
    .description('Load a module that exports decorated controllers and run them in a manager.')
    .argument('<module>', 'path of the module (a file or a folder with index.ts/index.js)')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: KUBECONFIG)')
    .option('--namespace <ns>', 'watch only this namespace (default: all)')
    .option('--leader-elect', 'take part in leader election on a Lease', false)
    .action(async (_module: string, _opts: RunOptions) => {
      throw new NotImplementedError('run');
    });
}
