// `audit FILE --watch`: the inner loop of someone fixing their softmax. The first audit prints in full; then every save
// of the file re-audits with the same options and seed (so the same inputs) and prints only what changed
// (./watch-diff.ts). Ctrl-C ends it with the exit code of the last finished audit; the process's exit hooks
// (worker/cleanup.ts) end the workers and remove their temp folders.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunReport } from '../model.js';
import type { AuditOptions } from '../runner/audit.js';
import { diffAudits, errorSnapshot, renderChanges, snapshotOf, type AuditSnapshot } from './watch-diff.js';

/** Saves closer together than this are one save (editors write, rename and touch in a burst). */
export const DEBOUNCE_MS = 250;

/** The file a target names, or a usage error: a module target (pkg.mod:fn) has no file to watch. */
export function watchedFile(target: string): string {
  const m = /^(.*\.(py|mjs|js|cjs|ts|mts|cts))(?::[A-Za-z_$][\w$]*)?$/.exec(target);
  if (!m) throw new UsageError(`--watch re-audits when the candidate's file is saved, and "${target}" names no file (a module target has nothing to watch): give FILE.py:FUNCTION or FILE.mjs[:EXPORT]`);
  const file = resolve(m[1]);
  if (!existsSync(file)) throw new UsageError(`no such file: ${m[1]}`);
  return file;
}

export interface WatchIo {
  write: (s: string) => void;
  color: boolean;
}

const hashOf = (file: string): string | undefined => {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined; // mid-save: renamed away for a moment
  }
};

/** Runs until SIGINT/SIGTERM; never resolves. `flags` are the audit options that --watch cannot combine with. */
export async function watchAudit(opts: AuditOptions, flags: { json: boolean; reports?: string }, io: WatchIo = { write: (s) => process.stdout.write(s), color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }): Promise<never> {
  if (flags.json || flags.reports) throw new UsageError('--watch prints what changed as text: it does not combine with --json or --reports');
  const file = watchedFile(opts.target);
  const [{ runAudit }, { startAudit }, { renderAuditText }, { exitCodeOf }] = await Promise.all([
    import('../runner/audit.js'), import('../runner/audit-start.js'), import('./audit-text.js'), import('./exit-code.js'),
  ]);
  let lastCode: number | undefined;
  let previous: AuditSnapshot | undefined;
  let lastJudged: AuditSnapshot | undefined;

  const auditOnce = async (): Promise<void> => {
    let report: RunReport | undefined;
    let snapshot: AuditSnapshot;
    try {
      report = await runAudit(opts, startAudit(opts));
      snapshot = snapshotOf(report);
      lastCode = exitCodeOf(report.verdict);
    } catch (e) {
      snapshot = errorSnapshot((e as Error).message);
      lastCode = 2;
    }
    if (!previous) io.write(report ? renderAuditText(report, { color: io.color }) : `COULD NOT JUDGE  ${snapshot.reason}\n`);
    else io.write(`${[`[${new Date().toTimeString().slice(0, 8)}] ${basename(file)} saved: re-audited`, ...renderChanges(diffAudits(previous, lastJudged, snapshot), snapshot)].join('\n')}\n`);
    previous = snapshot;
    if (snapshot.checks) lastJudged = snapshot;
  };

  let watcher: FSWatcher | undefined;
  const stop = (): void => {
    watcher?.close();
    // process.exit runs the exit hooks: workers of an audit in flight are ended and their folders removed.
    process.exit(lastCode ?? 130);
  };
  // Ours first: with a handler installed, cleanup.ts leaves the ending to us (it then runs on 'exit').
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // The file as the first audit reads it; the watch starts before that audit, so a save during it is not lost.
  let seen = hashOf(file);
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  let again = false;
  const onSave = async (): Promise<void> => {
    if (running) {
      again = true; // looked at again when this audit ends
      return;
    }
    const now = hashOf(file);
    if (now === undefined || now === seen) return; // not there mid-save, or touched without a change
    seen = now;
    running = true;
    try {
      await auditOnce();
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      void onSave();
    }
  };
  // The folder, not the file: an editor that saves by renaming a new file over the old one ends a watch on the file.
  watcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void onSave(), DEBOUNCE_MS);
  });
  watcher.on('error', (e) => {
    io.write(`stopped watching ${file}: ${e.message}\n`);
    stop();
  });
  await auditOnce();
  io.write(`\nwatching ${file}: every save re-audits (seed ${opts.seed}); Ctrl-C stops\n`);
  running = false;
  if (again) {
    again = false;
    void onSave();
  }
  return new Promise<never>(() => undefined);
}
