// Reading TR directories back. Corrupt files are reported with file and line, skipped, and counted:
// a reader never crashes on one bad line and never hides that it skipped something.
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { ChimeraError } from '../errors';
import type { Meta, RunRecord, ShownStatus } from '../types';
import { parseRunRecord } from './runCodec';

export interface CorruptLine { line: number; error: string }
export interface RunsRead { runs: RunRecord[]; corrupt: CorruptLine[]; file: string }

export function metaPath(trDir: string): string {
  return join(trDir, 'meta.json');
}
export function runsPath(trDir: string): string {
  return join(trDir, 'runs.jsonl');
}

/** meta.json of a TR dir; E_NOT_FOUND when absent, E_BAD_JSON (with the file) when corrupt. */
export function readMeta(trDir: string): Meta {
  const file = metaPath(trDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChimeraError('E_NOT_FOUND', `no meta.json in ${trDir}`, { where: file, cause: e, hint: 'is this a TR directory? run `chimeraforge list` to see them' });
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (e) {
    throw new ChimeraError('E_BAD_JSON', `${file} is corrupt (not JSON): ${(e as Error).message}`, { where: file, cause: e, hint: 'restore it from version control; runs.jsonl still holds the raw runs' });
  }
  if (!meta || typeof meta !== 'object' || typeof (meta as Meta).id !== 'string' || typeof (meta as Meta).status !== 'string') {
    throw new ChimeraError('E_BAD_JSON', `${file} is not a Chimeraforge meta.json (missing id or status)`, { where: file });
  }
  return meta as Meta;
}

function parseRunLine(line: string, n: number, runs: RunRecord[], corrupt: CorruptLine[]): void {
  if (line.trim() === '') return;
  const r = parseRunRecord(line);
  if (typeof r === 'string') corrupt.push({ line: n, error: r });
  else runs.push(r);
}

/** All run records of runs.jsonl (small and medium files). */
export function readRunsSync(trDir: string): RunsRead {
  const file = runsPath(trDir);
  const runs: RunRecord[] = [];
  const corrupt: CorruptLine[] = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  text.split('\n').forEach((line, i) => parseRunLine(line, i + 1, runs, corrupt));
  return { runs, corrupt, file };
}

export interface ForEachRunOptions {
  /** Deliver every client.chunkMs as [] (statistics never read per-chunk times; unparsed, they are ~40% of a line's bytes). */
  omitChunkTimes?: boolean;
}

// Per-chunk times as written now (compact, runCodec.ts) and by earlier versions.
const CHUNK_KEYS = ['"chunkDeltaUs":[', '"chunkMs":['];

/**
 * The line with each per-chunk time array emptied, before JSON.parse. The arrays hold numbers only (no
 * nested brackets), and inside a JSON string the key's quotes would be escaped, so the text match is exact.
 */
export function withoutChunkTimes(line: string): string {
  for (const key of CHUNK_KEYS) line = emptyArrays(line, key);
  return line;
}

function emptyArrays(line: string, key: string): string {
  let i = line.indexOf(key);
  if (i === -1) return line;
  let out = '';
  let from = 0;
  while (i !== -1) {
    const close = line.indexOf(']', i + key.length);
    if (close === -1) return line; // torn line: JSON.parse reports it as it is
    out += line.slice(from, i + key.length);
    from = close;
    i = line.indexOf(key, close);
  }
  return out + line.slice(from);
}

/**
 * Stream run records one at a time (large files: nothing but the current line is held). Lines are split
 * on the newline byte with Buffer.indexOf: readline's per-line events cost ~6 s on a million runs (bench).
 */
export async function forEachRun(trDir: string, onRun: (r: RunRecord) => void, opts: ForEachRunOptions = {}): Promise<{ count: number; corrupt: CorruptLine[] }> {
  const corrupt: CorruptLine[] = [];
  let n = 0;
  let count = 0;
  const one: RunRecord[] = [];
  const take = (bytes: Buffer): void => {
    n++;
    const text = bytes.toString('utf8');
    parseRunLine(opts.omitChunkTimes ? withoutChunkTimes(text) : text, n, one, corrupt);
    if (one.length) {
      onRun(one.pop()!);
      count++;
    }
  };
  // Bytes of an unfinished line, split on the newline byte so multi-byte UTF-8 is never cut.
  let pending: Buffer[] = [];
  for await (const chunk of createReadStream(runsPath(trDir), { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, i);
      take(pending.length ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length) take(Buffer.concat(pending));
  return { count, corrupt };
}

/** Whether a process with this pid exists (signal 0 sends nothing; EPERM: it exists, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The status a reader shows: a meta.json still `running` whose writer process is gone (same host) was
 * interrupted — a crash or kill -9 — and is shown as such, never as complete.
 */
export function shownStatus(meta: Meta): ShownStatus {
  if (meta.status !== 'running') return meta.status;
  const w = meta.writer;
  if (w && w.hostname === hostname() && !pidAlive(w.pid)) return 'interrupted';
  return 'running';
}
