// Process-wide cleanup registry for test harnesses: whatever a harness starts (servers, browsers,
// temp dirs) is undone on normal exit, on SIGINT/SIGTERM and on an uncaught exception.
type Task = { name: string; sync?: () => void; async?: () => Promise<void> };

const tasks = new Set<Task>();
let installed = false;

function runSync(): void {
  for (const t of [...tasks].reverse()) {
    try {
      t.sync?.();
    } catch {
      // best effort at exit: keep undoing the rest
    }
  }
  tasks.clear();
}

async function runAll(): Promise<void> {
  for (const t of [...tasks].reverse()) {
    tasks.delete(t);
    try {
      if (t.async) await t.async();
      else t.sync?.();
    } catch (e) {
      process.stderr.write(`cleanup ${t.name} failed: ${String(e)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' handlers can only run synchronous code: process groups are killed with SIGKILL there.
  process.on('exit', runSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping test servers and browsers\n`);
      void runAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

/**
 * Registers an undo step. `sync` must work inside an 'exit' handler; `async` is preferred otherwise.
 * Returns a function that runs the step now (async form) and unregisters it.
 */
export function onCleanup(name: string, steps: { sync?: () => void; async?: () => Promise<void> }): () => Promise<void> {
  install();
  const task: Task = { name, ...steps };
  tasks.add(task);
  return async () => {
    if (!tasks.delete(task)) return;
    if (task.async) await task.async();
    else task.sync?.();
  };
}
