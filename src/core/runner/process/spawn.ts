// Runs one external program without a shell, in its own process group, and measures it: spawn → exit,
// exit code or signal, peak RSS and CPU time of its process tree (/proc), and the tails of its output.
// Cancel and the overall time limit stop the whole group: SIGTERM, then SIGKILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../../ports';
import { PROC_SAMPLE_INTERVAL_MS, ProcTreeSampler, type ProcTreeResult } from './procSampler';

export const TAIL_CHARS = 4096;
/** Time between SIGTERM and SIGKILL when stopping a program. */
export const KILL_GRACE_MS = 2000;
/** After the program exits, how long its pipes may stay open (held by leftovers) before we stop reading. */
const PIPE_DRAIN_MS = 1000;
/** A stdout line longer than this is not a self-report and is not kept whole. */
const MAX_LINE_CHARS = 1 << 20;

export interface ProcessOptions {
  argv: string[];
  cwd: string;
  /** The complete environment of the program. */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Overall limit for the program (ms); Infinity for none. */
  limitMs: number;
  clock: Clock;
  graceMs?: number;
  sampleIntervalMs?: number;
  /** Each complete stdout line (without the newline) and when it was read (clock ms). */
  onStdoutLine?: (line: string, atMs: number) => void;
}

export type EndReason = 'exit' | 'cancelled' | 'timeout' | 'spawn-error';

export interface ProcessResult {
  endReason: EndReason;
  spawnAtMs: number;
  /** Clock time of the exit (or of the spawn failure). */
  exitAtMs: number;
  exitCode: number | null;
  signal: string | null;
  /** errno code of a failed spawn (ENOENT, EACCES …). */
  spawnError: { code: string; message: string } | null;
  /** null where /proc is not available (not Linux). */
  proc: ProcTreeResult | null;
  sampleIntervalMs: number;
  stdoutTail: string;
  stderrTail: string;
}

/** Keeps the last TAIL_CHARS characters of a stream, decoding UTF-8 across chunk boundaries. */
class Tail {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  push(chunk: Buffer): string {
    const s = this.decoder.write(chunk);
    this.text += s;
    if (this.text.length > 2 * TAIL_CHARS) this.text = this.text.slice(-TAIL_CHARS);
    return s;
  }
  value(): string {
    return (this.text + this.decoder.end()).slice(-TAIL_CHARS);
  }
}

const liveGroups = new Set<number>();
let exitHook = false;
// Programs run in their own process group (so their children can be stopped too); they must not
// outlive the harness even when it exits without cleaning up.
function trackGroup(pid: number): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const g of liveGroups) killGroup(g, 'SIGKILL');
    });
  }
  liveGroups.add(pid);
}

/** Signals the whole process group; false where that is not possible (Windows has no process groups). */
function killGroup(pgid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (e) {
    // ESRCH: the group is gone already.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const { clock } = opts;
  const sampleIntervalMs = opts.sampleIntervalMs ?? PROC_SAMPLE_INTERVAL_MS;
  const out = new Tail();
  const err = new Tail();
  let partial = '';
  const onOut = (chunk: Buffer): void => {
    const s = out.push(chunk);
    if (!opts.onStdoutLine) return;
    const at = clock.now();
    partial += s;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      opts.onStdoutLine(partial.slice(0, nl).replace(/\r$/, ''), at);
      partial = partial.slice(nl + 1);
    }
    if (partial.length > MAX_LINE_CHARS) partial = '';
  };

  return new Promise<ProcessResult>((resolve) => {
    let endReason: EndReason = 'exit';
    let sampler: ProcTreeSampler | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    let limitTimer: NodeJS.Timeout | null = null;
    let settled = false;
    const spawnAtMs = clock.now();
    let child: ChildProcess;

    const stop = (reason: EndReason): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      if (endReason === 'exit') endReason = reason;
      if (!killGroup(child.pid, 'SIGTERM')) child.kill('SIGTERM');
      killTimer ??= setTimeout(() => {
        if (!killGroup(child.pid!, 'SIGKILL')) child.kill('SIGKILL');
      }, opts.graceMs ?? KILL_GRACE_MS);
    };
    const onAbort = (): void => stop('cancelled');

    const finish = (exitAtMs: number, exitCode: number | null, signal: string | null, spawnError: ProcessResult['spawnError']): void => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      if (limitTimer) clearTimeout(limitTimer);
      opts.signal.removeEventListener('abort', onAbort);
      const proc = sampler ? sampler.stop() : null;
      if (child.pid !== undefined) {
        // Leftover children of the program (same group) would hold its pipes and CPU: stop them.
        killGroup(child.pid, 'SIGKILL');
        liveGroups.delete(child.pid);
      }
      const done = (): void => {
        if (opts.onStdoutLine && partial.length > 0) opts.onStdoutLine(partial, clock.now());
        partial = '';
        resolve({
          endReason: spawnError ? 'spawn-error' : endReason,
          spawnAtMs, exitAtMs, exitCode, signal, spawnError, proc, sampleIntervalMs,
          stdoutTail: out.value(), stderrTail: err.value(),
        });
      };
      if (spawnError || (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false)) return done();
      const drain = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done();
      }, PIPE_DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drain);
        done();
      });
    };

    try {
      child = spawn(opts.argv[0], opts.argv.slice(1), { cwd: opts.cwd, env: opts.env, shell: false, detached: true, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      // Synchronous failures (e.g. an argument with a NUL byte) come here instead of the 'error' event.
      const code = (e as { code?: unknown }).code;
      child = { pid: undefined } as ChildProcess;
      finish(clock.now(), null, null, { code: typeof code === 'string' ? code : 'EINVAL', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish(clock.now(), null, null, { code: e.code ?? 'UNKNOWN', message: e.message });
    });
    if (child.pid === undefined) return;
    trackGroup(child.pid);
    if (ProcTreeSampler.available()) {
      sampler = new ProcTreeSampler(child.pid, sampleIntervalMs);
      sampler.start();
    }
    child.stdout!.on('data', onOut);
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.once('exit', (code, sig) => finish(clock.now(), code, sig, null));
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(opts.limitMs) && opts.limitMs > 0) {
      limitTimer = setTimeout(() => stop('timeout'), Math.min(opts.limitMs, 2 ** 31 - 1));
    }
  });
}
