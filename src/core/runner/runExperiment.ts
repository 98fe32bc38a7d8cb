// Running a whole experiment: preflight, TR directory, the plan run by run (each recorded the moment it
// ends), cancellation, and the final summary. A failed run is recorded and the experiment goes on.
// Memory stays flat however many runs: a finished run goes to runs.jsonl and into the streaming summary
// accumulator (numbers only), and is then dropped — the runner keeps no run records.
import { ChimeraError, errorMessage } from '../errors';
import { buildPlan, type PlannedRun } from '../experiment/plan';
import { experimentHash } from '../experiment/normalize';
import type { NormalizedExperiment } from '../experiment/types';
import { systemClock, silentLogger, type Clock, type Logger } from '../ports';
import { captureEnvironment } from '../store/environment';
import { TrWriter } from '../store/writer';
import { assertTrId } from '../store/trId';
import { SummaryAccumulator } from '../stats/accumulator';
import type { RunSummary, SummaryOptions } from '../stats/summaryTypes';
import { summarizeRunsFile } from '../report/recompute';
import { summaryCsv } from '../stats/csv';
import { recordedDefinitions } from '../metrics/allDefinitions';
import type { Meta, RunRecord, TrStatus } from '../types';
import { RunContext, sleep } from './context';
import { etaMs } from './eta';
import { TokenBatcher, type EventSink } from './events';
import { preflightAll } from './preflightAll';
import { unloadForRun } from './unload';
import { executorFor } from './kinds/registry';
import { GpuSampler, loadedModelsOf, psAfterRun } from './resources';
import { applyContextLengths, needsServerContextLength } from './contextLength';
import type { RunOutcome } from './kinds/types';
import { unplannedLoad } from './cold';
import { preRunWarnings } from './warnings';
import { AdaptiveController, type AdaptiveCheck } from './adaptive';
import { EndpointServers } from './endpointServers';

export interface RunOptions {
  reportsDir: string;
  /** Overrides the experiment's "tr". */
  tr?: string;
  signal?: AbortSignal;
  onEvent?: EventSink;
  log?: Logger;
  clock?: Clock;
  /** Workspace Trust: command experiments run only in trusted workspaces. Default true (CLI). */
  trusted?: boolean;
  /** The exact command that re-runs this experiment, for the report's reproducibility section. */
  command?: string;
  fetch?: typeof fetch;
  /** Sample nvidia-smi every second while running (when it answers) and /api/ps after each run. Default true. */
  gpuSampling?: boolean;
}

/** The outcome of an experiment; the run records themselves are in `trDir`/runs.jsonl (readRunsSync). */
export interface RunResult { trId: string; trDir: string; status: TrStatus; meta: Meta }

function portable(x: NormalizedExperiment): Record<string, unknown> {
  const { sourceFile: _s, workspaceDir: _w, ...rest } = x;
  return rest;
}

function recordOf(p: PlannedRun, startedAt: string, o: RunOutcome): RunRecord {
  return {
    run: p.index,
    variant: p.variant,
    repetition: p.repetition,
    warmup: p.warmup,
    ...(p.warmupReason ? { warmupReason: p.warmupReason === 'reload' ? 're-warm after a load-time option change' : 'declared warm-up' } : {}),
    ...(p.soloAgent ? { soloAgent: p.soloAgent } : {}),
    startedAt,
    ...o,
  };
}

/** What the final status needs of the measured runs, counted as they finish. */
interface MeasuredTally { failed: number; okValid: number }

function tally(t: MeasuredTally, r: RunRecord): void {
  if (r.warmup) return;
  if (r.status === 'failed') t.failed++;
  else if (r.status === 'ok' && r.valid) t.okValid++;
}

function finalStatus(cancelled: boolean, t: MeasuredTally): Exclude<TrStatus, 'running'> {
  if (cancelled) return 'cancelled';
  if (t.failed > 0 || t.okValid === 0) return 'failed';
  return 'complete';
}

export async function runExperiment(x: NormalizedExperiment, opts: RunOptions): Promise<RunResult> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger;
  const emit: EventSink = opts.onEvent ?? (() => {});
  const serverPaths = [...(x.variants.some((v) => v.server) ? ['variants[].server'] : []), ...Object.keys(x.endpointServers ?? {}).map((n) => `endpoints.${n}.server`)];
  if (serverPaths.length > 0 && opts.trusted === false) {
    throw new ChimeraError('E_UNTRUSTED', `"${x.title}" starts managed servers (${serverPaths.join(', ')}), which are refused in an untrusted workspace`, {
      where: x.sourceFile ?? 'experiment', hint: 'trust the workspace (Workspaces: Manage Workspace Trust) to start servers; results stay browsable meanwhile',
    });
  }
  if (x.kind === 'command' && opts.trusted === false) {
    throw new ChimeraError('E_UNTRUSTED', `"${x.title}" runs workspace commands, which are refused in an untrusted workspace`, {
      where: x.sourceFile ?? 'experiment', hint: 'trust the workspace (Workspaces: Manage Workspace Trust) to run command experiments; results stay browsable meanwhile',
    });
  }
  const plan = buildPlan(x);
  // A bad TR id is bad input (exit 2) whether or not the endpoints answer: check it before preflight.
  const requestedTr = opts.tr ?? x.tr;
  if (requestedTr !== undefined) assertTrId(requestedTr, 'tr');
  // Managed endpoint servers run for the whole experiment: started before the preflight checks them, stopped in the finally.
  const servers = await EndpointServers.start(x, opts.reportsDir, clock, log, opts.signal);
  try {
    return await preflightAndRun(x, opts, plan, servers, clock, log, emit);
  } finally {
    await servers?.stop();
  }
}

async function preflightAndRun(x: NormalizedExperiment, opts: RunOptions, plan: PlannedRun[], servers: EndpointServers | null, clock: Clock, log: Logger, emit: EventSink): Promise<RunResult> {
  // Nothing is written before the endpoints and models are known to be there.
  const pre = await preflightAll(x, clock, opts.signal, opts.fetch);
  const environment = await captureEnvironment(pre.endpoints, x.workspaceDir);
  const warnings = preRunWarnings(x);
  for (const w of warnings) log.warn(w);
  const writer = TrWriter.create(opts.reportsDir, {
    title: x.title,
    kind: x.kind,
    planned: plan.length,
    experiment: { ...portable(x), hash: experimentHash(x) },
    environment,
    metricDefinitions: recordedDefinitions(x.coldThresholdMs),
    supersedes: x.supersedes ?? null,
    ...(warnings.length > 0 ? { notes: warnings.map((w) => `Warning before the run: ${w}`) } : {}),
    ...(opts.command ? { command: opts.command } : {}),
  }, opts.tr ?? x.tr, x.outputTexts);
  if (servers) {
    servers.adopt(writer.outputDir('servers'), environment);
    writer.update({ environment });
  }
  const summaryOpts: SummaryOptions = { kind: x.kind, variants: x.variants.map((v) => ({ name: v.name, options: v.options })), contentionRule: x.contention, seed: x.seed, coldRuns: x.coldRuns };
  try {
    return await runPlan({ x, opts, plan, rttMs: pre.rttMs, writer, summaryOpts, clock, log, emit });
  } catch (e) {
    // Disk full, a throwing listener, a bug: the TR must not stay `running` forever. Finish it `failed`
    // with the message (the runs already recorded stay), then let the caller see the original error.
    if (writer.meta.status === 'running') await abortTr(writer, e, summaryOpts, log);
    throw e;
  }
}

interface PlanRun {
  x: NormalizedExperiment; opts: RunOptions; plan: PlannedRun[]; rttMs: Record<string, number | null>; writer: TrWriter;
  summaryOpts: SummaryOptions; clock: Clock; log: Logger; emit: EventSink;
}

async function runPlan({ x, opts, plan, rttMs, writer, summaryOpts, clock, log, emit }: PlanRun): Promise<RunResult> {
  log.info(`${writer.id}: ${plan.length} runs planned in ${writer.dir}`);
  emit({ type: 'experiment-started', trId: writer.id, trDir: writer.dir, title: x.title, kind: x.kind, planned: plan.length, variants: x.variants.map((v) => v.name), agents: (x.agents ?? []).map((a) => a.name) });

  const sampling = opts.gpuSampling !== false;
  const gpu = sampling ? await GpuSampler.start(writer.dir, clock) : null;
  const batcher = new TokenBatcher(emit);
  const execute = executorFor(x.kind, opts.reportsDir);
  const measured: MeasuredTally = { failed: 0, okValid: 0 };
  let done = 0;
  const t0 = clock.now();
  let cancelled = false;
  const skipped: string[] = [];
  // The statistics are computed from runs.jsonl when the runs are done, so memory does not grow with the
  // number of runs. Adaptive repetitions decide on the values so far: their accumulator is bounded by `max`.
  const live = x.adaptive ? new SummaryAccumulator(summaryOpts) : null;
  const adaptive = x.adaptive && live ? new AdaptiveController(x, x.adaptive, (variant, metric) => live.values(variant, metric)) : null;
  if (adaptive) writer.update({ adaptive: adaptive.outcome('running') });
  try {
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      const skipWhy = execute.skip?.(p) ?? null;
      if (skipWhy !== null) {
        skipped.push(`run ${p.index} (${p.variant}${p.level !== undefined ? `, level ${p.level}` : ''}) not run: ${skipWhy}`);
        continue;
      }
      if (done > 0 && x.cooldownMs > 0) await sleep(x.cooldownMs, opts.signal);
      if (p.unloadBefore) await unloadForRun(x, p, clock, log, opts.signal);
      emit({ type: 'run-started', run: p.index, variant: p.variant, warmup: p.warmup, ...(p.level !== undefined ? { level: p.level } : {}), ...(p.soloAgent ? { soloAgent: p.soloAgent } : {}), done, planned: plan.length });
      const ctx = new RunContext(x, p, opts.signal ?? new AbortController().signal, clock, log, writer, batcher, rttMs, opts.fetch);
      const startedAt = clock.isoNow();
      let outcome: RunOutcome;
      try {
        outcome = await execute(ctx);
      } catch (e) {
        // A bug in a kind must not lose the experiment: record it as a failed run and go on.
        log.error(`run ${p.index} (${p.variant}) crashed: ${errorMessage(e)}`);
        outcome = { status: 'failed', error: `internal error: ${errorMessage(e)}`, errorCode: 'E_INTERNAL', valid: false, wallMs: clock.now() - ctx.runStartMs, calls: [] };
      } finally {
        ctx.dispose();
      }
      const record = recordOf(p, startedAt, outcome);
      const cold = unplannedLoad(record, p, x.coldThresholdMs);
      if (cold) Object.assign(record, cold);
      const gpuRun = gpu?.summaryBetween(ctx.runStartMs, clock.now());
      if (gpuRun) record.gpu = gpuRun;
      if (record.status !== 'cancelled') {
        // /api/ps after the run: memory (when sampling) and the context Ollama picked for calls without num_ctx.
        const ps = sampling || needsServerContextLength(record) ? await psAfterRun(x, clock) : null;
        if (sampling && ps) record.loadedModels = loadedModelsOf(ps);
        applyContextLengths(record, ps);
      }
      live?.add(record);
      // Adaptive repetitions may add runs to the plan here; meta.json shows them with this run's record.
      let check: AdaptiveCheck | null = null;
      if (adaptive && record.status !== 'cancelled') {
        check = adaptive.afterRun(plan, i);
        writer.meta.counts.planned = plan.length;
        writer.meta.adaptive = adaptive.outcome('running');
      }
      writer.addRun(record);
      tally(measured, record);
      done++;
      if (record.status === 'failed') log.warn(`run ${p.index} (${p.variant}) failed: ${record.error}`);
      emit({
        type: 'run-finished', run: p.index, variant: p.variant, warmup: p.warmup, ...(p.soloAgent ? { soloAgent: p.soloAgent } : {}), status: record.status, valid: record.valid,
        ...(record.invalidReason ? { invalidReason: record.invalidReason } : {}), ...(record.error ? { error: record.error } : {}),
        wallMs: record.wallMs, done, planned: plan.length, etaMs: etaMs(clock.now() - t0, done, plan.length, x.cooldownMs),
        ...(record.agents ? { agents: record.agents.map((a) => ({ name: a.name, startOffsetMs: a.startOffsetMs, wallMs: a.wallMs, status: a.status })) } : {}),
        ...(record.multiAgent ? { multiAgent: record.multiAgent } : {}),
      });
      if (check) emit({ type: 'adaptive-check', ...check, planned: plan.length });
      if (record.status === 'cancelled') {
        cancelled = true;
        break;
      }
    }
  } finally {
    await execute.dispose?.();
    batcher.dispose();
    gpu?.stop();
  }
  const summary = await summarizeRunsFile(writer.dir, summaryOpts);
  const status = finalStatus(cancelled, measured);
  if (skipped.length > 0) writer.update({ counts: { ...writer.meta.counts, skipped: skipped.length }, notes: [...(writer.meta.notes ?? []), ...skipped] });
  if (adaptive) writer.meta.adaptive = adaptive.outcome(cancelled ? 'cancelled' : 'finished');
  writer.finish(status, summary, summaryCsv(summary));
  log.info(`${writer.id}: ${status} (${done}/${plan.length} runs)`);
  emit({ type: 'experiment-finished', trId: writer.id, trDir: writer.dir, status, counts: writer.meta.counts, summary });
  return { trId: writer.id, trDir: writer.dir, status, meta: writer.meta };
}

async function abortTr(writer: TrWriter, e: unknown, summaryOpts: SummaryOptions, log: Logger): Promise<void> {
  const error = { code: e instanceof ChimeraError ? e.code : 'E_INTERNAL', message: errorMessage(e) };
  log.error(`${writer.id}: stopped on an error: ${error.message}`);
  let summary: RunSummary | undefined;
  try {
    // The disk may be what failed: then meta.json says so without a summary (runs.jsonl keeps the runs).
    summary = await summarizeRunsFile(writer.dir, summaryOpts);
  } catch {
    summary = undefined;
  }
  try {
    writer.abort(error, summary);
  } catch (inner) {
    log.error(`${writer.id}: could not record the failure in meta.json: ${errorMessage(inner)}`);
  }
}
