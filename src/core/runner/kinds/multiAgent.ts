// kind "multi-agent": N agents started together (one barrier, then all proceed in the same tick), each on
// its own endpoint with its own options and workflow. Solo runs of each agent (the sequential baseline)
// are planned beside every concurrent run and remembered here for its speedup.
import type { AgentRecord } from '../../types';
import type { NormalizedAgent } from '../../experiment/types';
import type { RunContext } from '../context';
import type { KindExecutor, RunOutcome } from './types';
import { variantOf } from './variant';
import { ingestInvalidReason, prepareInputs, runWorkflow, type WorkflowResult } from '../../workflow/run';
import { firstInvalidReason } from '../validity';
import { meanTtft, multiAgentMetrics, type SoloMeasure } from './multiAgentMetrics';

function agentOptions(ctx: RunContext, a: NormalizedAgent): Record<string, unknown> {
  return { ...a.options, ...(variantOf(ctx).agentOptions?.[a.name] ?? {}) };
}

function agentRecord(ctx: RunContext, a: NormalizedAgent, r: WorkflowResult, t0: number): AgentRecord {
  return {
    name: a.name,
    endpoint: a.endpoint,
    options: agentOptions(ctx, a),
    startOffsetMs: r.startMs - t0,
    wallMs: r.endMs - r.startMs,
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    calls: r.calls,
    stages: r.stages,
    ...(r.filesIngested !== undefined ? { filesIngested: r.filesIngested } : {}),
  };
}

function outcomeOf(agents: AgentRecord[], results: WorkflowResult[], ctx: RunContext, wallMs: number): Omit<RunOutcome, 'multiAgent'> {
  const failed = agents.find((a) => a.status !== 'ok');
  const errorCode = results.find((r) => r.errorCode)?.errorCode;
  let invalid: string | null = null;
  if (!failed) {
    for (let i = 0; i < agents.length && !invalid; i++) {
      const r = ingestInvalidReason(results[i], ctx.x.agents!.find((a) => a.name === agents[i].name)!.workflow) ?? firstInvalidReason(agents[i].calls, ctx.validityRules());
      if (r) invalid = `agent ${agents[i].name}: ${r}`;
    }
  }
  return {
    status: failed ? failed.status : 'ok',
    ...(failed ? { error: `agent ${failed.name}: ${failed.error ?? failed.status}` } : {}),
    ...(errorCode ? { errorCode } : {}),
    valid: !failed && invalid === null,
    ...(invalid ? { invalidReason: invalid } : {}),
    wallMs,
    // Calls live under agents[] only (PRODUCT.md §5): copying them to run.calls would double runs.jsonl.
    calls: [],
    agents,
  };
}

export function makeMultiAgentKind(reportsDir: string): KindExecutor {
  // Solo measurements per variant and repetition, filled by solo runs before their concurrent run.
  const solo = new Map<string, Map<string, SoloMeasure>>();
  return async (ctx) => {
    const x = ctx.x;
    const key = `${ctx.planned.variant}#${ctx.planned.repetition}`;
    const chosen = ctx.planned.soloAgent ? x.agents!.filter((a) => a.name === ctx.planned.soloAgent) : x.agents!;
    // Each agent's inputs are walked before the barrier: the concurrent wall time holds only the agents' work.
    const inputs = chosen.map((a) => prepareInputs(ctx, a.workflow, reportsDir));
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    const t0 = ctx.clock.now();
    const running = chosen.map(async (a, i) => {
      await barrier;
      return runWorkflow(ctx, { workflow: a.workflow, endpoint: a.endpoint, model: a.model, options: agentOptions(ctx, a), agent: a.name, ...(x.system ? { system: x.system } : {}) }, reportsDir, inputs[i]);
    });
    release();
    const results = await Promise.all(running);
    const wallMs = Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs));
    const agents = chosen.map((a, i) => agentRecord(ctx, a, results[i], t0));
    const base = outcomeOf(agents, results, ctx, wallMs);
    if (ctx.planned.soloAgent) {
      if (base.status === 'ok' && !ctx.planned.warmup) {
        if (!solo.has(key)) solo.set(key, new Map());
        solo.get(key)!.set(agents[0].name, { wallMs: agents[0].wallMs, ttftMs: meanTtft(agents[0].calls) });
      }
      return base;
    }
    const soloHere = x.sequentialBaseline ? (solo.get(key) ?? new Map<string, SoloMeasure>()) : null;
    solo.delete(key); // used once: the map stays bounded however many repetitions
    return { ...base, multiAgent: multiAgentMetrics(agents, wallMs, soloHere, x.contention) };
  };
}
