// Adapts "done of total" callbacks to the progress reporters. The clock starts when the callback is made (when the
// command starts), not at the first result: a minute-long import before it is part of the elapsed time.
import { createProgress, createRunProgress, type Progress, type RunProgress } from '../report/progress.js';

export function progressCallback(tty: boolean): { update(done: number, total: number, label: string): void; done(): void } {
  const started = Date.now();
  let bar: Progress | undefined;
  let shown = 0;
  return {
    update(done, total, label) {
      bar ??= createProgress(total, { tty, started });
      for (; shown < done; shown++) bar.tick(label);
    },
    done() {
      bar?.done();
    },
  };
}

/** For `run`: a line as each implementation starts and finishes (plain lines in CI logs, a bar on a terminal). */
export function runProgress(tty: boolean): RunProgress {
  return createRunProgress({ tty });
}
