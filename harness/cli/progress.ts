// Adapts "done of total" callbacks to the progress reporter, creating it once the total is known.
import { createProgress, type Progress } from '../report/progress.js';

export function progressCallback(tty: boolean): { update(done: number, total: number, label: string): void; done(): void } {
  let bar: Progress | undefined;
  let shown = 0;
  return {
    update(done, total, label) {
      bar ??= createProgress(total, { tty });
      for (; shown < done; shown++) bar.tick(label);
    },
    done() {
      bar?.done();
    },
  };
}
