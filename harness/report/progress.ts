// Progress for long runs: a cli-progress bar on a TTY; in CI logs (no TTY) a plain line at every 10% instead, since
// a redrawn bar there becomes thousands of lines of carriage returns.
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { cleanText, fmtMs } from './text.js';

export interface Progress {
  /** one unit done; `label` says what (e.g. "numpy-stable overflow") */
  tick(label?: string): void;
  done(): void;
}

export interface ProgressOptions {
  tty: boolean;
  /** where to write (default stderr, keeping stdout for --json) */
  stream?: NodeJS.WritableStream;
  /** for tests */
  now?: () => number;
}

export function createProgress(total: number, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
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
