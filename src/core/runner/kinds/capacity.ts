// kind "capacity": one run holds one level (concurrency or arrival rate) of one variant for warmupS +
// durationS with the load generator; every request (a call or a whole workflow run) is recorded raw.
// After a level's last repetition the stop rules are applied: a variant whose level broke the SLO or
// the error-rate limit skips its higher levels (recorded on the run, not a failure).
import type { CallRecord } from '../../types';
import type { NormalizedExperiment, NormalizedVariant } from '../../experiment/types';
import type { RunContext } from '../context';
import type { KindExecutor, RunOutcome } from './types';
import { variantOf } from './variant';
import { runWorkflow } from '../../workflow/run';
import { runLoad, type LoadState, type ScheduledUnit } from '../../capacity/loadgen';
import { cellStats, type CellStats } from '../../capacity/cell';
import { levelSummary, stopAfter } from '../../capacity/summary';
import type { CapacityRequest, CapacityRunRecord } from '../../capacity/types';
import { quantileSorted } from '../../stats/describe';
import { ManagedServer, serverPort, variantOwner } from '../../capacity/server';
import { createGatewayClient } from '../../ollama/client';
import { preflight } from '../../ollama/probe';
import { errorMessage, isChimeraError } from '../../errors';

interface UnitResult { endpoint: string; status: CallRecord['status']; error?: string; errorCode?: string; calls: CallRecord[] }

/** One unit of load: the workflow once, or one prompt (cycled by request index). */
async function runUnit(ctx: RunContext, x: NormalizedExperiment, v: NormalizedVariant, i: number, reportsDir: string): Promise<UnitResult> {
  const endpoints = x.capacity!.load.endpoints;
  const endpoint = endpoints[i % endpoints.length];
  try {
    if (x.workflow) {
      const r = await runWorkflow(ctx, { workflow: x.workflow, endpoint, model: v.model, options: v.options, agent: `r${i}`, ...(x.system ? { system: x.system } : {}) }, reportsDir);
      return { endpoint, status: r.status, ...(r.error ? { error: r.error } : {}), ...(r.errorCode ? { errorCode: r.errorCode } : {}), calls: r.calls };
    }
    const { record } = await ctx.call({ endpoint, model: v.model, stage: 'prompt', prompt: x.prompts[i % x.prompts.length], ...(x.system ? { system: x.system } : {}), options: v.options });
    return { endpoint, status: record.status, ...(record.error ? { error: record.error.message, errorCode: record.error.code } : {}), calls: [record] };
  } catch (e) {
    // A unit must not throw (the generator would lose its count): a bug becomes a failed request.
    return { endpoint, status: 'failed', error: `internal error: ${e instanceof Error ? e.message : String(e)}`, errorCode: 'E_INTERNAL', calls: [] };
  }
}

function requestOf(u: ScheduledUnit<UnitResult>): CapacityRequest {
  const r = u.result;
  return {
    i: u.i, scheduledMs: u.scheduledMs, startMs: u.startMs, sendLagMs: u.sendLagMs, endMs: u.endMs, inFlight: u.inFlight, warmup: u.warmup,
    endpoint: r.endpoint, status: r.status, ...(r.error ? { error: r.error } : {}), ...(r.errorCode ? { errorCode: r.errorCode } : {}), calls: r.calls,
  };
}

/** Live state for the dashboard: the achieved start rate (achieved_rps so far) and p95 TTFT of the counted requests ended so far. */
function progressReporter(ctx: RunContext, level: number): { done: (u: ScheduledUnit<UnitResult>) => void; tick: (s: LoadState) => void } {
  const ttfts: number[] = [];
  const cap = ctx.x.capacity!.load;
  return {
    done(u) {
      if (u.warmup) return;
      for (const c of u.result.calls) if (c.metrics?.ttft_ms != null) ttfts.push(c.metrics.ttft_ms);
    },
    tick(s) {
      const measuredS = Math.min(s.elapsedMs / 1000 - cap.warmupS, cap.durationS);
      const sorted = ttfts.length > 0 ? Float64Array.from(ttfts).sort() : null;
      ctx.emit({
        type: 'capacity-progress', run: ctx.planned.index, variant: ctx.planned.variant, mode: cap.mode, level, repetition: ctx.planned.repetition,
        elapsedMs: s.elapsedMs, warmup: s.warmup, inFlight: s.inFlight, started: s.started, completed: s.completed,
        achievedRps: measuredS > 0 ? s.countedStarted / measuredS : null, ttftP95Ms: sorted ? quantileSorted(sorted, 0.95) : null,
      });
    },
  };
}

/** Starts the variant's server and checks it as the preflight checks an endpoint: it answers and serves the model. */
async function startChecked(ctx: RunContext, v: NormalizedVariant, port: number): Promise<ManagedServer> {
  const server = await ManagedServer.start(variantOwner(v.name), { ...v.server, port }, ctx.outputs.outputDir('servers'), ctx.clock, ctx.signal);
  const client = createGatewayClient({ url: server.record.url, name: `server of ${v.name}`, clock: ctx.clock });
  try {
    const p = await preflight(client, [v.model], { signal: ctx.signal });
    server.record.version = p.version;
    server.record.model = { name: p.models[0].name, digest: p.models[0].digest };
    server.record.rttMs = p.rttMs;
    return server;
  } catch (e) {
    await server.stop();
    throw e;
  } finally {
    client.abort();
  }
}

export function makeCapacityKind(reportsDir: string): KindExecutor {
  const cells = new Map<string, CellStats[]>();
  const stopped = new Map<string, string>();
  // The managed server of the variant being run (its runs are contiguous in the plan); stopped at the
  // variant change and in dispose (the runner's finally: end, cancel, crash).
  let current: { variant: string; server: ManagedServer } | null = null;
  const startFailures = new Map<string, unknown>();
  const serverFor = async (ctx: RunContext, v: NormalizedVariant): Promise<ManagedServer | null> => {
    if (current && current.variant !== v.name) {
      await current.server.stop();
      current = null;
    }
    if (!v.server) return null;
    // A server that did not start fails the variant's later runs at once (not one start timeout each).
    const failed = startFailures.get(v.name);
    if (failed) throw failed;
    const port = serverPort(v.name, v.server, ctx.x.endpoints[ctx.x.capacity!.load.endpoints[0]]);
    try {
      current ??= { variant: v.name, server: await startChecked(ctx, v, port) };
    } catch (e) {
      if (!ctx.signal.aborted) startFailures.set(v.name, e);
      throw e;
    }
    return current.server;
  };
  const exec: KindExecutor = async (ctx): Promise<RunOutcome> => {
    const x = ctx.x;
    const cap = x.capacity!;
    const p = ctx.planned;
    const level = p.level!;
    const v = variantOf(ctx);
    const t0 = ctx.clock.now();
    let server: ManagedServer | null;
    try {
      server = await serverFor(ctx, v);
    } catch (e) {
      return { status: ctx.signal.aborted ? 'cancelled' : 'failed', error: errorMessage(e), errorCode: isChimeraError(e) ? e.code : 'E_INTERNAL', valid: false, wallMs: ctx.clock.now() - t0, calls: [] };
    }
    // On a managed server every request goes to it, whatever endpoint the load names.
    const quiet = ctx.quiet(server ? { endpoints: Object.fromEntries(cap.load.endpoints.map((e) => [e, server.record.url])), networkMs: server.record.rttMs ?? null } : undefined);
    // Each level and repetition draws its own arrivals, reproducibly from the declared seed.
    const seed = cap.load.mode === 'rate' ? (cap.load.seed + p.index * 7919) >>> 0 : null;
    const live = progressReporter(ctx, level);
    const units = await runLoad(
      { mode: cap.load.mode, level, arrival: cap.load.arrival, seed: seed ?? 0, warmupMs: cap.load.warmupS * 1000, durationMs: cap.load.durationS * 1000 },
      { clock: ctx.clock, signal: ctx.signal, unit: (i) => runUnit(quiet, x, v, i, reportsDir), onDone: live.done, onTick: live.tick },
    );
    quiet.dispose();
    const record: CapacityRunRecord = {
      mode: cap.load.mode, level, arrival: cap.load.arrival, seed, warmupMs: cap.load.warmupS * 1000, durationMs: cap.load.durationS * 1000, slo: cap.slo,
      requests: units.map(requestOf),
      ...(server ? { server: server.record } : {}),
    };
    const wallMs = ctx.clock.now() - t0;
    if (ctx.signal.aborted) return { status: 'cancelled', error: 'cancelled during the load', valid: false, wallMs, calls: [], capacity: record };
    const key = `${p.variant}\u0000${level}`;
    const levelCells = [...(cells.get(key) ?? []), cellStats(record)];
    cells.set(key, levelCells);
    if (p.repetition === x.repetitions) {
      const stop = stopAfter(levelSummary(level, levelCells, cap.slo), cap.stop);
      if (stop) {
        record.stoppedAfter = stop;
        stopped.set(p.variant, `stopped early: ${stop.detail}`);
        ctx.log.info(`${p.variant}: ${stop.detail}; higher levels skipped (stop rules)`);
      }
    }
    const firstOk = record.requests.some((r) => r.status === 'ok');
    const firstError = record.requests.find((r) => r.status !== 'ok');
    // An error-rate stop is the sweep's answer, not a failure: its run stays ok with the errors counted.
    if (!firstOk && record.stoppedAfter?.reason !== 'errors') {
      return {
        status: 'failed', error: firstError ? `no request succeeded; first error: ${firstError.error ?? firstError.status}` : 'no request was started',
        ...(firstError?.errorCode ? { errorCode: firstError.errorCode } : {}), valid: false, wallMs, calls: [], capacity: record,
      };
    }
    return { status: 'ok', valid: true, wallMs, calls: [], capacity: record };
  };
  exec.skip = (p) => stopped.get(p.variant) ?? null;
  exec.dispose = async () => {
    await current?.server.stop();
    current = null;
  };
  return exec;
}
