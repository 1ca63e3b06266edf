/**
 * The `kuberx` command line: one commander program with a subcommand per component. Each
 * subcommand lives in `commands/<name>.ts` and exports a `register(program, io)` function; this file
 * only assembles them.
 */
import { Command, CommanderError } from 'commander';
import { registerUp } from './commands/up.js';
import { registerApiserver } from './commands/apiserver.js';
import { registerEtcd } from './commands/etcd.js';
import { registerControllerManager } from './commands/controller-manager.js';
import { registerScheduler } from './commands/scheduler.js';
import { registerNodes } from './commands/nodes.js';
import { registerRun } from './commands/run.js';
import type { CliIO } from './io.js';
import { processIO } from './io.js';

/** Version printed by `kuberx --version`. */
export const KUBERX_VERSION = '0.1.0';

/** Builds the program. `io` receives all output, so tests can capture it. */
export function buildProgram(io: CliIO = processIO): Command {
  const program = new Command('kuberx')
    .description(
      'A Kubernetes control plane in TypeScript: API server, etcd-compatible store, controllers, scheduler and simulated nodes.',
    )
    .version(KUBERX_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of [
    registerUp,
    registerApiserver,
    registerEtcd,
    registerControllerManager,
    registerScheduler,
    registerNodes,
    registerRun,
  ]) {
    const command = register(program, io);
    command.showHelpAfterError('(run with --help for usage)').configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  }
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/**
 * Runs the CLI with `argv` (as `process.argv`: node, script, args…) and resolves to the process
 * exit code: 0 on success, 1 on a usage error or a failed command. Long-running commands resolve
 * only when they stop.
 */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  if (argv.length <= 2) {
    program.outputHelp();
    return 1;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
