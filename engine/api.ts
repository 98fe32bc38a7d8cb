// Programmatic API for tests, the CLI, the demo and benchmarks: engine processes on free ports, stopped
// for sure. Each engine is `node dist/engine.mjs` (ESM, because node-llama-cpp is ESM-only).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ChimeraError } from '../src/core/errors';
import type { EngineConfig, EngineConfigPatch } from './config';
import { withoutHonouredEnv } from './env';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER, newAdminToken } from './server/admin';
import type { EngineStats } from './server/state';

export type { EngineConfig, EngineConfigPatch, EngineMode, FaultConfig, FaultKind, PacedConfig } from './config';
export type { EngineStats } from './server/state';

export interface EngineHandle {
  url: string;
  port: number;
  pid: number;
  /** Kills the process (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop(): Promise<void>;
  /** Test control: change mode, paced schedule or fault at run time (resets the fault counters). */
  configure(c: EngineConfigPatch): Promise<void>;
  stats(): Promise<EngineStats>;
  /** The token this engine's control routes require (header `x-chimeraforge-admin-token`); for tests that call them directly. */
  adminToken: string;
}

export interface StartOptions {
  /** Receives each stderr line of the engine (default: kept, shown only if the start fails). */
  onLog?: (line: string) => void;
  /** Give up waiting for "listening" after this long (default 60 s: a first llama start generates the model). */
  startTimeoutMs?: number;
  /** The engine exits when this process's end of its stdin closes, even after a SIGKILL here (default true). */
  lifeline?: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// Children must not outlive this process: kill them on exit (the stdin lifeline covers a hard kill).
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/** dist/engine.mjs next to this bundle (dist/cli.js) or under the package root (running from source). */
export function engineBundlePath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  // dist/cli.js, engine/ (source), dist/test/integration/*.js (the extension-host suite), the cwd.
  const candidates = [join(here, 'engine.mjs'), join(here, '..', 'dist', 'engine.mjs'), join(here, '..', '..', 'engine.mjs'), resolve('dist', 'engine.mjs')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new ChimeraError('E_INTERNAL', 'the engine bundle dist/engine.mjs is missing', {
      where: candidates.join(', '), hint: 'run npm run build (node esbuild.mjs) first',
    });
  }
  return found;
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

async function control(url: string, token: string, path: string, body?: unknown): Promise<unknown> {
  const auth = { [ADMIN_TOKEN_HEADER]: token };
  const res = await fetch(`${url}${path}`, body === undefined ? { headers: auth } : { method: 'POST', body: JSON.stringify(body), headers: { ...auth, 'Content-Type': 'application/json' } });
  const parsed = (await res.json()) as unknown;
  if (!res.ok) {
    const msg = (parsed as { error?: string }).error ?? `HTTP ${res.status}`;
    throw new ChimeraError(res.status === 400 ? 'E_BAD_INPUT' : 'E_SERVER', `engine control ${path}: ${msg}`, { where: url, status: res.status });
  }
  return parsed;
}

export function startEngine(cfg: EngineConfig = {}, opts: StartOptions = {}): Promise<EngineHandle> {
  installExitHook();
  const script = engineBundlePath();
  const lifeline = opts.lifeline ?? true;
  // The control routes' token goes to the child in its environment, never on a command line or a log line.
  const adminToken = newAdminToken();
  const child = spawn(process.execPath, [script, '--config-json', JSON.stringify(cfg), ...(lifeline ? ['--stdin-lifeline'] : [])],
    // The configuration is explicit: the caller's OLLAMA_NUM_PARALLEL etc. must not change it.
    { stdio: [lifeline ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...withoutHonouredEnv(process.env), [ADMIN_TOKEN_ENV]: adminToken } });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (opts.onLog) opts.onLog(line);
    tail.push(line);
    if (tail.length > 30) tail.shift();
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await waitExit(child);
      clearTimeout(t);
    }
    live.delete(child);
  };
  return new Promise<EngineHandle>((resolvePromise, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new ChimeraError('E_INTERNAL', message, { where: script, details: tail.slice(-12), hint: 'see the engine log lines above' })));
    };
    const timer = setTimeout(() => fail(`the engine did not start listening within ${opts.startTimeoutMs ?? 60_000} ms`), opts.startTimeoutMs ?? 60_000);
    child.once('error', (e) => fail(`the engine could not start: ${e.message}`));
    child.once('exit', (code, signal) => fail(`the engine exited (${signal ?? `code ${code}`}) before listening`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (settled) return;
      let msg: { event?: string; url?: string; pid?: number };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.event !== 'listening' || !msg.url) return;
      settled = true;
      clearTimeout(timer);
      const url = msg.url;
      resolvePromise({
        url,
        port: Number(new URL(url).port),
        pid: child.pid ?? msg.pid ?? -1,
        stop,
        configure: async (c) => { await control(url, adminToken, '/_chimeraforge/config', c); },
        stats: async () => (await control(url, adminToken, '/_chimeraforge/stats')) as EngineStats,
        adminToken,
      });
    });
  });
}

/** n engines at once, each on its own free port (or on consecutive ports from cfg.port). */
export async function startEngines(n: number, cfg: EngineConfig = {}, opts: StartOptions = {}): Promise<EngineHandle[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => startEngine({ ...cfg, port: cfg.port ? cfg.port + i : 0 }, opts)));
  const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((h) => h.stop()));
    throw failed.reason;
  }
  return ok;
}
