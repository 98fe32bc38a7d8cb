// How a run record is written to and read from one runs.jsonl line (docs/TR-FILES.md).
// Per-chunk arrival times are the bulk of a line: they are written as `client.chunkDeltaUs`, integer
// microseconds (the first chunk's time after send, then each chunk's gap to the previous one), and read
// back as `client.chunkMs` — the only form the rest of the code sees. Lines written before the compact
// form (with `chunkMs`) read as they are.
import type { ClientTimings, RunRecord } from '../types';

/** Whole µs of each arrival after send, then gaps: rounding the absolute times first keeps the sum exact. */
export function encodeChunkTimes(chunkMs: readonly number[]): number[] | null {
  const out = new Array<number>(chunkMs.length);
  let prev = 0;
  for (let i = 0; i < chunkMs.length; i++) {
    if (!Number.isFinite(chunkMs[i])) return null; // not a clock reading (a self-report): keep it as it came
    const us = Math.round(chunkMs[i] * 1000);
    out[i] = us - prev;
    prev = us;
  }
  return out;
}

export function decodeChunkTimes(deltaUs: readonly number[]): number[] {
  const out = new Array<number>(deltaUs.length);
  let us = 0;
  for (let i = 0; i < deltaUs.length; i++) {
    us += deltaUs[i];
    out[i] = us / 1000;
  }
  return out;
}

type WrittenClient = Omit<ClientTimings, 'chunkMs'> & { chunkMs?: number[]; chunkDeltaUs?: number[] };

/** JSON.stringify replacer: every call's client timings (calls, agents' calls, attempts) in compact form. */
function compactClient(key: string, value: unknown): unknown {
  if (key !== 'client' || !value || typeof value !== 'object' || !Array.isArray((value as ClientTimings).chunkMs)) return value;
  const { chunkMs, ...rest } = value as ClientTimings;
  const deltaUs = encodeChunkTimes(chunkMs);
  return deltaUs ? { ...rest, chunkDeltaUs: deltaUs } : value;
}

/** One runs.jsonl line (without the newline). */
export function encodeRunLine(run: RunRecord): string {
  return JSON.stringify(run, compactClient);
}

interface CallLike { client?: WrittenClient; attempts?: CallLike[] }

function expandCall(c: CallLike): void {
  const cl = c.client;
  if (cl && Array.isArray(cl.chunkDeltaUs)) {
    cl.chunkMs = decodeChunkTimes(cl.chunkDeltaUs);
    delete cl.chunkDeltaUs;
  }
  if (Array.isArray(c.attempts)) for (const a of c.attempts) if (a && typeof a === 'object') expandCall(a);
}

function expandCalls(calls: unknown): void {
  if (Array.isArray(calls)) for (const c of calls) if (c && typeof c === 'object') expandCall(c as CallLike);
}

/** A parsed line's run record, or why it is not one. Compact chunk times are expanded to `chunkMs`. */
export function parseRunRecord(text: string): RunRecord | string {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  if (typeof r !== 'object' || r === null || typeof (r as RunRecord).run !== 'number' || typeof (r as RunRecord).variant !== 'string') {
    return 'not a run record (missing run or variant)';
  }
  const run = r as RunRecord;
  expandCalls(run.calls);
  if (Array.isArray(run.agents)) for (const a of run.agents) if (a && typeof a === 'object') expandCalls(a.calls);
  return run;
}
