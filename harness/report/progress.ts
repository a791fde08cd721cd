// Progress for long runs: a cli-progress bar on a TTY; in CI logs (no TTY) plain lines instead, since a redrawn bar
// there becomes thousands of lines of carriage returns. Elapsed times count from when the command started (the
// reporter is made then, before the first result), so a slow first start shows in them. `createProgress` counts
// cases (a line every 10%); `createRunProgress` follows implementations, a line when each starts and finishes.
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { cleanText, fmtMs } from './text.js';

export interface Progress {
  /** one unit done; `label` says what (e.g. "numpy-stable overflow") */
  tick(label?: string): void;
  /** say what is happening now without counting a unit (a bar's label; nothing in a log) */
  note?(label: string): void;
  done(): void;
}

export interface ProgressOptions {
  tty: boolean;
  /** where to write (default stderr, keeping stdout for --json) */
  stream?: NodeJS.WritableStream;
  /** for tests */
  now?: () => number;
  /** when the work started (default: when the reporter is made), in now()'s clock */
  started?: number;
}

export function createProgress(total: number, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = options.started ?? now();
  let count = 0;
  let finished = false;
  if (options.tty) {
    // Loaded only for a terminal: CI logs and --json runs never draw a bar.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
    const bar = new cliProgress.SingleBar(
      { stream, format: '{bar} {percentage}% | {value}/{total} | {label}', hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return {
      tick(label = '') {
        count++;
        bar.update(Math.min(count, total), { label: cleanText(label).replace(/\n/g, ' ').slice(0, 60) });
      },
      note(label) {
        bar.update(Math.min(count, total), { label: cleanText(label).replace(/\n/g, ' ').slice(0, 60) });
      },
      done() {
        if (finished) return;
        finished = true;
        bar.stop();
      },
    };
  }
  let lastDecile = 0;
  return {
    tick(label = '') {
      count++;
      const decile = total > 0 ? Math.floor((10 * Math.min(count, total)) / total) : 10;
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        stream.write(`progress: ${decile * 10}% (${count}/${total})${label ? ` ${cleanText(label).replace(/\n/g, ' ').slice(0, 80)}` : ''}\n`);
      }
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write(`done: ${count}/${total} in ${fmtMs(now() - started)}\n`);
    },
  };
}

export interface RunProgress {
  /** an implementation's worker is starting; `requires` are the libraries it imports */
  start(id: string, requires: readonly string[]): void;
  /** the `done`-th of `total` implementations finished */
  finish(done: number, total: number, id: string, verdict: string, detail?: string): void;
  done(): void;
}

// Libraries whose import alone takes tens of seconds on a small machine: say so before the silence.
const SLOW_IMPORTS = new Set(['tensorflow', 'torch', 'jax']);

/** What starting an implementation means, e.g. "starting tensorflow (importing can take a minute) for tf-nn-softmax". */
export function startLine(id: string, requires: readonly string[]): string {
  const slow = requires.filter((r) => SLOW_IMPORTS.has(r));
  if (slow.length) return `starting ${slow.join(', ')} (importing can take a minute) for ${id}`;
  return requires.length ? `starting ${id} (imports ${requires.join(', ')})` : `starting ${id}`;
}

export function createRunProgress(options: ProgressOptions): RunProgress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = options.started ?? now();
  const clean = (s: string) => cleanText(s).replace(/\n/g, ' ').slice(0, 120);
  const stamp = () => `[${((now() - started) / 1000).toFixed(1).padStart(6)} s]`;
  let finished = false;
  let count = 0;
  let total = 0;
  if (options.tty) {
    let bar: ReturnType<typeof createProgress> | undefined;
    const line = (s: string) => stream.write(`${s}\n`);
    return {
      start(id, requires) {
        const label = startLine(id, requires);
        // Before the first result the total is unknown to the bar: a line says what is happening meanwhile.
        if (!bar) line(`${stamp()} ${clean(label)}`);
        else bar.note?.(label);
      },
      finish(done, n, id, verdict) {
        bar ??= createProgress(n, { tty: true, stream, now, started });
        for (; count < done; count++) bar.tick(`${id}: ${verdict}`);
      },
      done() {
        if (finished) return;
        finished = true;
        bar?.done();
      },
    };
  }
  const startedAt = new Map<string, number>();
  return {
    start(id, requires) {
      startedAt.set(id, now());
      stream.write(`${stamp()} ${clean(startLine(id, requires))}\n`);
    },
    finish(done, n, id, verdict, detail) {
      count = done;
      total = n;
      const t = startedAt.get(id);
      const took = t === undefined ? '' : ` in ${fmtMs(now() - t)}`;
      stream.write(`${stamp()} ${done}/${n} ${clean(id)}: ${clean(verdict)}${took}${detail ? ` (${clean(detail)})` : ''}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write(`done: ${count}/${total} implementations in ${fmtMs(now() - started)}\n`);
    },
  };
}
