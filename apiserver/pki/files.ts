/**
 * Private files of the PKI: directories are created 0700 and files written 0600 through a
 * temporary file and a rename, so a reader never sees half a key and nobody else can read one.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as defaults from './defaults.js';

/** Reads a UTF-8 file; undefined when it does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `content` with mode 0600 (creating parents 0700) unless the file already holds it. */
export async function writePrivate(path: string, content: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: defaults.dirMode });
  if ((await readOptional(path)) === content) {
    await chmod(path, defaults.fileMode);
    return false;
  }
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: defaults.fileMode });
  await rename(tmp, path);
  return true;
}
