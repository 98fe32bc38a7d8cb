// Streams on the paced engine's exact schedule, read two ways in this process: through the whole
// product path (runExperiment → runner → gateway → ollama-js, with the live-event pipeline attached)
// and through the bare reader. Both send the same schedule as per-request paced_* options.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeExperiment } from '../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../src/core/experiment/types';
import { runExperiment } from '../../src/core/runner/runExperiment';
import { readRunsSync } from '../../src/core/store/read';
import type { RunnerEvent } from '../../src/core/runner/events';
import type { CallRecord, RunRecord } from '../../src/core/types';
import { bareGenerate, type BareResult } from './bareReader';
import type { StreamError } from './stats';

export const PACED_MODEL = 'tiny:latest';

export interface Schedule { ttftMs: number; tps: number; tokens: number }

export function scheduleOptions(s: Schedule): Record<string, number> {
  return { paced_ttft_ms: s.ttftMs, paced_tps: s.tps, paced_tokens: s.tokens };
}

/** `streams` concurrent calls per run, `runs` runs: kind prompt for one stream, multi-agent (one barrier) above. */
export function pacedExperiment(url: string, streams: number, runs: number, s: Schedule): ExperimentFile {
  const common = {
    title: `bench: ${streams} paced stream(s)`,
    model: PACED_MODEL,
    endpoints: { default: url },
    options: scheduleOptions(s),
    repetitions: runs,
    warmup: 0,
    timeoutMs: 60_000,
    retry: { attempts: 0 },
  };
  if (streams === 1) return { ...common, kind: 'prompt', prompts: ['benchmark the harness'] };
  return {
    ...common,
    kind: 'multi-agent',
    sequentialBaseline: false,
    agents: Array.from({ length: streams }, (_, i) => ({ name: `a${i + 1}`, workflow: { type: 'prompt' as const, prompts: ['benchmark the harness'] } })),
  };
}

export interface RunnerSample { calls: CallRecord[]; runs: RunRecord[]; cpuUs: number; wallMs: number; events: number }

/** The product path; `onEvent` defaults to a sink that only counts (a view that drops nothing). */
export async function runnerStreams(url: string, streams: number, runs: number, s: Schedule, onEvent?: (e: RunnerEvent) => void): Promise<RunnerSample> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-bench-'));
  let events = 0;
  const sink = onEvent ?? ((): void => { events++; });
  try {
    const x = normalizeExperiment(pacedExperiment(url, streams, runs, s));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await runExperiment(x, { reportsDir: dir, onEvent: sink });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const records = readRunsSync(res.trDir).runs;
    const calls = records.flatMap((r) => (r.agents ? r.agents.flatMap((a) => a.calls) : r.calls));
    const failed = calls.filter((c) => c.status !== 'ok');
    if (failed.length) throw new Error(`runner: ${failed.length} call(s) failed: ${failed[0].error?.message}`);
    return { calls, runs: records, cpuUs: cpu.user + cpu.system, wallMs, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BareSample { results: BareResult[]; cpuUs: number; wallMs: number }

/** The same calls through the bare reader: `streams` at once, `runs` rounds. */
export async function bareStreams(url: string, streams: number, runs: number, s: Schedule): Promise<BareSample> {
  const body = { model: PACED_MODEL, prompt: 'benchmark the harness', options: scheduleOptions(s) };
  const results: BareResult[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    results.push(...(await Promise.all(Array.from({ length: streams }, () => bareGenerate(url, body)))));
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { results, cpuUs: cpu.user + cpu.system, wallMs };
}

/** Client decode rate as client_decode_tps defines it: (tokens − 1) over first → last token line. */
function clientRate(tokens: number, firstMs: number | null, lastMs: number | null): number | null {
  return tokens >= 2 && firstMs !== null && lastMs !== null && lastMs > firstMs ? (tokens - 1) / ((lastMs - firstMs) / 1000) : null;
}

export function runnerErrors(calls: readonly CallRecord[], s: Schedule): StreamError[] {
  return calls.map((c) => {
    const rate = c.metrics?.client_decode_tps ?? null;
    if (c.metrics?.ttft_ms == null || rate === null) throw new Error('runner: a call without ttft or decode window');
    return { ttftErrMs: c.metrics.ttft_ms - s.ttftMs, tpsRelErr: rate / s.tps - 1 };
  });
}

export function bareErrors(results: readonly BareResult[], s: Schedule): StreamError[] {
  return results.map((r) => {
    const rate = clientRate(r.tokens, r.firstTokenMs, r.lastTokenMs);
    if (r.firstTokenMs === null || rate === null) throw new Error('bare reader: a call without tokens');
    return { ttftErrMs: r.firstTokenMs - s.ttftMs, tpsRelErr: rate / s.tps - 1 };
  });
}

/** A real TR directory under `reportsDir`: an A/B prompt experiment (two variants, 32-token answers) on the paced engine. */
export async function pacedTemplateTr(url: string, reportsDir: string): Promise<string> {
  const x = normalizeExperiment({
    title: 'bench: template A/B',
    kind: 'prompt',
    model: PACED_MODEL,
    endpoints: { default: url },
    prompts: ['benchmark the harness'],
    options: scheduleOptions({ ttftMs: 20, tps: 500, tokens: 32 }),
    variants: [{ name: 'baseline', options: {} }, { name: 'chimera', options: { num_ctx: 1024 } }],
    repetitions: 3,
    warmup: 1,
  });
  const res = await runExperiment(x, { reportsDir });
  return res.trDir;
}
