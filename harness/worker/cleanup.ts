// What must not outlive the harness (worker processes, temp folders) is cleaned up when Node exits, and also on
// SIGINT, SIGTERM and SIGHUP: Node's default action for those ends the process without an 'exit' event.
// A command with its own handler (run writes a partial report) keeps control: it ends through process.exit, which
// runs the 'exit' hook. SIGKILL cannot be caught: bwrap's --die-with-parent then ends the sandboxes; temp folders stay.
const tasks = new Set<() => void>();
let installed = false;

/** Runs task once when the process ends (exit or a terminating signal); the returned function cancels it. */
export function onTermination(task: () => void): () => void {
  tasks.add(task);
  install();
  return () => tasks.delete(task);
}

function runAll(): void {
  const all = [...tasks];
  tasks.clear();
  for (const t of all) {
    try {
      t();
    } catch {
      // best effort: the rest still run
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      if (process.listenerCount(sig) > 1) return; // someone else stops gracefully, then exits
      runAll();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig); // the default action now: end with that signal, as without us
    };
    process.on(sig, handler);
  }
}
