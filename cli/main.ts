/** Entry point of the `kuberx` binary. */
import { runCli } from './program.js';

export async function main(argv: string[] = process.argv): Promise<void> {
  process.exitCode = await runCli(argv);
}
