/** The `kuberx` CLI, importable for tests and for embedding. */
export { buildProgram, runCli, KUBERX_VERSION } from './program.js';
export { NotImplementedError, type CliIO } from './io.js';
export { parsePort, parseCount, parseUrlList } from './options.js';
