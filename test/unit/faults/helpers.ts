// Shared parts of the fault matrix: the CLI as a child process (dist/cli.js), experiment files in
// temporary workspaces, a meta.json watcher that reads the file continuously while a run goes on, a
// snapshot of a workspace tree, and the file checks every fault case ends with.
import { parseRunRecord } from '../../../src/core/store/runCodec';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Meta, RunRecord } from '../../../src/core/types';
import { ensureEngineBuilt } from '../ollama/engineHarness';

const ROOT = join(__dirname, '..', '..', '..');
const DIST_CLI = join(ROOT, 'dist', 'cli.js');
const DIST_ENGINE = join(ROOT, 'dist', 'engine.mjs');

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

let cliCopy: string | null = null;
/**
 * The suite runs the bundle, as users do. It runs a copy taken once: a rebuild (which empties dist/)
 * while the suite runs must not make one case fail. NODE_PATH lets the copy find its externals.
 */
export function ensureCliBuilt(): string {
  if (cliCopy) return cliCopy;
  // A rebuild empties dist/ for a second or two: give one in progress time to finish.
  const until = Date.now() + 20_000;
  while (!(existsSync(DIST_CLI) && existsSync(DIST_ENGINE)) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  ensureEngineBuilt();
  if (!existsSync(DIST_CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first');
  const copy = join(mkdtempSync(join(tmpdir(), 'cf-cli-')), 'cli.js');
  copyFileSync(DIST_CLI, copy);
  cliCopy = copy;
  return copy;
}

/** Spawns `chimeraforge ARGS` in `cwd`; the result promise settles when it exits. */
export function startCli(args: string[], cwd: string): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [ensureCliBuilt(), ...args], {
    cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  // A test that fails must not leave the CLI running for two minutes.
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stderrSoFar: () => stderr };
}

export function cli(args: string[], cwd: string): Promise<CliResult> {
  return startCli(args, cwd).done;
}

export function writeExperiment(dir: string, name: string, x: object): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(x, null, 2));
  return f;
}

export interface MetaWatch { reads: number; parsed: number; failures: string[]; statuses: string[]; stop(): Promise<MetaWatch> }

/**
 * Reads `file` every millisecond or so from this process while another process writes it: every read
 * after the file first appears must parse (the writer replaces it atomically). `statuses` lists each
 * status seen, in order, once per change, which shows the reads really overlapped the run.
 */
export function watchMeta(file: string): MetaWatch {
  let stopped = false;
  let seen = false;
  const w: MetaWatch = {
    reads: 0, parsed: 0, failures: [], statuses: [],
    stop: async () => {
      stopped = true;
      await loop;
      return w;
    },
  };
  const readOnce = (): void => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      // Absent until the TR directory is created; once there it must never vanish.
      if (seen) w.failures.push(`read: ${(e as Error).message}`);
      return;
    }
    seen = true;
    w.reads++;
    try {
      const m = JSON.parse(text) as Meta;
      w.parsed++;
      if (w.statuses[w.statuses.length - 1] !== m.status) w.statuses.push(m.status);
    } catch (e) {
      w.failures.push(`parse (${text.length} bytes): ${(e as Error).message}`);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      readOnce();
      await new Promise((r) => setTimeout(r, 1));
    }
    readOnce();
  })();
  return w;
}

export interface TrFiles { meta: Meta; runs: RunRecord[]; lines: number }

/** meta.json and runs.jsonl of a TR directory, asserting that both parse, every line of runs.jsonl included. */
export function readTr(trDir: string): TrFiles {
  const meta = JSON.parse(readFileSync(join(trDir, 'meta.json'), 'utf8')) as Meta;
  const text = readFileSync(join(trDir, 'runs.jsonl'), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'runs.jsonl ends with a complete line');
  const lines = text.split('\n').filter((l) => l !== '');
  // Through the product's line parser: compact chunk times (chunkDeltaUs) read back as chunkMs.
  const runs = lines.map((l, i): RunRecord => {
    const r = parseRunRecord(l);
    if (typeof r === 'string') throw new Error(`runs.jsonl line ${i + 1} does not parse: ${r}`);
    return r;
  });
  return { meta, runs, lines: lines.length };
}

/** Every file and folder under `dir` (relative paths, with size and mtime), to compare before/after. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      out.set(relative(dir, p), s.isDirectory() ? 'dir' : `${s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Paths added, removed or changed between two snapshots, optionally ignoring those under a prefix. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>, ignorePrefix?: string): string[] {
  const keep = (p: string): boolean => !ignorePrefix || (p !== ignorePrefix && !p.startsWith(`${ignorePrefix}/`));
  const changed: string[] = [];
  for (const [p, v] of after) if (keep(p) && before.get(p) !== v) changed.push(before.has(p) ? `changed ${p}` : `added ${p}`);
  for (const p of before.keys()) if (keep(p) && !after.has(p)) changed.push(`removed ${p}`);
  return changed.sort();
}

/** Polls `probe` until it returns true (or throws after `ms`). */
export async function waitFor(probe: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A local port nothing listens on (bound, then closed): an endpoint that is down. */
export async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
