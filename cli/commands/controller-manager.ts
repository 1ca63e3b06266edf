import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';

export interface ControllerManagerOptions {
  kubeconfig?: string;
  controllers: string;
  leaderElect: boolean;
}

export function registerControllerManager(program: Command, _io: CliIO): Command {
  return program
    .command('controller-manager')
    .description(
      'Run the reference controllers (Deployment, ReplicaSet, Job, GC, …) in one manager.',
    )
    .option('--kubeconfig <file>', 'kubeconfig of the cluster to manage (default: KUBECONFIG)')
    .option('--controllers <list>', "controllers to run, e.g. '*,-job'", '*')
    .option('--leader-elect', 'take part in leader election on a Lease', false)
    .action(async (_opts: ControllerManagerOptions) => {
      throw new NotImplementedError('controller-manager');
    });
}
