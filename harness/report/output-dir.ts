// The folder reports are written to, made and tried before any work: a run of many minutes whose `--reports` names a
// folder that cannot be written would otherwise judge everything and then end with a bare ENOTDIR and no report.
import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Creates `dir` (and its missing parents) and checks a file can be written in it; UsageError (exit 2) if not.
 * `option` names the flag in the message, `what` what was to be written there.
 */
export function prepareOutputDir(dir: string, option?: string, what = 'the reports'): void {
  const where = option ? `${option} ${JSON.stringify(dir)}` : JSON.stringify(dir);
  const problem = makeFolders(resolve(dir));
  if (problem) throw new UsageError(`cannot write ${what} to ${where}: ${problem}`);
  // The folder exists; writing is the only test that also sees read-only mounts and full disks (root passes access()).
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`cannot write ${what} to ${where}: ${reason(e as NodeJS.ErrnoException)}`);
  }
}

/**
 * mkdir -p, one folder at a time. Not `mkdirSync(dir, { recursive: true })`: on a file system that answers ENOENT to
 * a mkdir under an existing folder (procfs: `--reports /proc/x`), Node 20's recursive mkdir retries forever.
 */
function makeFolders(path: string): string | undefined {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'other') return `${JSON.stringify(at)} exists and is not a folder`;
    missing.push(at);
    const up = dirname(at);
    if (up === at) break; // the root itself is missing: mkdir says why
    at = up;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST' && kindOf(folder) === 'folder') continue; // made meanwhile by another process
      return `cannot make the folder ${JSON.stringify(folder)}: ${reason(err)}`;
    }
  }
  return undefined;
}

function kindOf(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

function reason(e: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'a read-only file system',
    ENOSPC: 'no space left on the device',
    ENOENT: 'the file system does not allow it there',
    ENOTDIR: 'a part of the path is not a folder',
    EDQUOT: 'disk quota exceeded',
  };
  return e.code ? `${words[e.code] ?? e.message} (${e.code})` : e.message;
}
