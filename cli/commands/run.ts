/**
 * `kuberx run <module>`: loads a module that exports classes decorated with `@Controller`, and runs
 * them in a manager against the cluster of a kubeconfig until SIGINT/SIGTERM (graceful stop).
 *
 * The module is a file or a folder (its `index.js`/`index.mjs`/`index.ts`). A TypeScript module
 * inside the kuberx project runs from its compiled twin under `dist/` (built by `npm ci`); other
 * TypeScript must be compiled first (decorators need a compiler). Prints
 * `kuberx run ready: <n> controller(s)` on stdout once the controllers are registered.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export interface RunOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  leaderElect: boolean;
  leaderElectionId?: string;
  leaderElectionNamespace?: string;
  metricsBindAddress: string;
  healthProbeBindAddress?: string;
}

export function registerRun(program: Command, io: CliIO): Command {
  return program
    .command('run')
    .description('Load a module that exports decorated controllers and run them in a manager.')
    .argument('<module>', 'path of the module (a file or a folder with index.ts/index.js)')
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster (default: KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--namespace <ns>', 'watch only this namespace (default: all)')
    .option('--leader-elect', 'take part in leader election on a Lease', false)
    .option('--leader-election-id <name>', 'name of the Lease (default: kuberx-run-<module name>)')
    .option(
      '--leader-election-namespace <ns>',
      'namespace of the Lease (default: --namespace, the pod namespace, or default)',
    )
    .option(
      '--metrics-bind-address <addr>',
      'serve /metrics, /healthz and /readyz here (0 disables)',
      '127.0.0.1:8080',
    )
    .option('--health-probe-bind-address <addr>', 'serve /healthz and /readyz here instead')
    .action(async (module: string, opts: RunOptions) => {
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await runModule({ module, ...opts, signal: abort.signal, io });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

export interface RunModuleOptions extends Partial<RunOptions> {
  module: string;
  signal: AbortSignal;
  io: CliIO;
}

/** Loads `module`, registers its controllers, and runs them until `signal` aborts. */
export async function runModule(options: RunModuleOptions): Promise<void> {
  // Loaded here, not at the top, so `kuberx --help` does not pay for the framework.
  const { Manager, isControllerClass, loadKubeConfig, registerControllers } =
    await import('../../framework/index.js');
  const entry = resolveModule(options.module);
  const exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const classes = Object.values(exports).filter(isControllerClass);
  if (classes.length === 0) {
    throw new Error(`${options.module} exports no class decorated with @Controller`);
  }
  const kubeConfig = loadKubeConfig({ file: options.kubeconfig, context: options.context });
  const manager = new Manager({
    kubeConfig,
    namespace: options.namespace,
    leaderElection: options.leaderElect ?? false,
    leaderElectionID: options.leaderElectionId ?? `kuberx-run-${moduleName(options.module)}`,
    leaderElectionNamespace: options.leaderElectionNamespace,
    metricsBindAddress: options.metricsBindAddress ?? '127.0.0.1:8080',
    healthProbeBindAddress: options.healthProbeBindAddress,
  });
  await registerControllers(manager, ...classes);
  options.io.stdout.write(`kuberx run ready: ${classes.length} controller(s)\n`);
  await manager.start(options.signal);
}

function moduleName(path: string): string {
  const name = basename(resolve(path), extname(path)) || 'module';
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

/** The file to import for `path` (see the module comment). */
export function resolveModule(path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new Error(`module ${path} does not exist`);
  const candidates = statSync(full).isDirectory()
    ? ['index.js', 'index.mjs', 'index.ts'].map((f) => join(full, f))
    : [full];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`${path} has no index.js, index.mjs or index.ts`);
  if (!found.endsWith('.ts') || runningTypeScript()) return found;
  const compiled = compiledTwin(found);
  if (compiled) return compiled;
  throw new Error(
    `${found} is TypeScript; compile it to JavaScript first (decorators need a compiler) and pass the .js file`,
  );
}

/** True when this CLI itself runs from TypeScript sources (tests), so `.ts` imports work. */
function runningTypeScript(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.ts');
}

/** `<root>/dist/<rel>.js` for a `.ts` file under the kuberx project root, when it exists. */
function compiledTwin(file: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url)); // <root>/dist/cli/commands
  const root = resolve(here, '..', '..', '..');
  const rel = relative(root, file);
  if (rel.startsWith('..')) return undefined;
  const twin = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
  return existsSync(twin) ? twin : undefined;
}
