#!/usr/bin/env node
// The kuberx binary runs the compiled CLI (built by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('kuberx: not built yet; run `npm ci` (or `npm run build`) first.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
