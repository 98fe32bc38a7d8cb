// Process-wide cleanup registry for test harnesses: whatever a harness starts (servers, browsers,
// temp dirs) is undone on normal exit, on SIGINT/SIGTERM/SIGHUP and when the process exits early.
interface Task {
  readonly name: string;
  readonly sync?: () => void;
  readonly async?: () => Promise<void>;
  running?: Promise<void>;
}

const tasks = new Set<Task>();
let installed = false;
let signalled: NodeJS.Signals | undefined;

/** Runs a task once; a second caller waits for the same run. It leaves the set only when finished. */
function execute(t: Task): Promise<void> {
  t.running ??= (async () => {
    try {
      if (t.async) await t.async();
      else t.sync?.();
    } finally {
      tasks.delete(t);
    }
  })();
  return t.running;
}

/** At 'exit' only synchronous code runs: every unfinished task (running or not) gets its sync form. */
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
    await execute(t).catch((e: unknown) => process.stderr.write(`cleanup ${t.name} failed: ${String(e)}\n`));
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      signalled = sig;
      process.stderr.write(`\n${sig}: stopping test servers and browsers\n`);
      void runAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

/** The signal that started a shutdown, if any (drivers report 130 rather than a follow-on error). */
export function interruptedBy(): NodeJS.Signals | undefined {
  return signalled;
}

/**
 * Registers an undo step. `sync` must work inside an 'exit' handler (signals, rmSync); `async` is used
 * otherwise when given. Returns a function that runs the step now, once, and resolves when it is done.
 */
export function onCleanup(name: string, steps: { sync?: () => void; async?: () => Promise<void> }): () => Promise<void> {
  install();
  const task: Task = { name, ...steps };
  tasks.add(task);
  return () => execute(task);
}
