/** Option parsers shared by the subcommands. Each throws commander's InvalidArgumentError. */
import { InvalidArgumentError } from 'commander';

/** A TCP port, 0–65535 (0 = pick a free one). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0-65535).`);
  }
  return n;
}

/** A whole number ≥ `min`. */
export function parseCount(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min) {
      throw new InvalidArgumentError(`"${value}" is not a whole number >= ${min}.`);
    }
    return n;
  };
}

/** A comma-separated list of URLs (`--etcd-servers`, `--listen-client-urls`). */
export function parseUrlList(value: string): string[] {
  const urls = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const u of urls) {
    try {
      new URL(u);
    } catch {
      throw new InvalidArgumentError(`"${u}" is not a URL (e.g. http://127.0.0.1:2379).`);
    }
  }
  if (urls.length === 0) throw new InvalidArgumentError('expected at least one URL.');
  return urls;
}
