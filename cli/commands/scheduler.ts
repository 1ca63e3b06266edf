import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';

export interface SchedulerOptions {
  kubeconfig?: string;
  leaderElect: boolean;
}

export function registerScheduler(program: Command, _io: CliIO): Command {
  return program
    .command('scheduler')
    .description('Run the scheduler: bind pending pods to nodes.')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: KUBECONFIG)')
    .option('--leader-elect', 'take part in leader election on a Lease', false)
    .action(async (_opts: SchedulerOptions) => {
      throw new NotImplementedError('scheduler');
    });
}
