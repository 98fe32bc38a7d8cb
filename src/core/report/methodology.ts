// Methodology: workflow, protocol (warm-ups, order, repetitions, re-warm/unload, cooldown, retries),
// the definitions of every metric shown, and how the statistics are formed.
import { statOf } from '../stats/summaryTypes';
import { ALL_DEFINITIONS } from '../metrics/allDefinitions';
import { CAPACITY_DEFINITIONS } from '../capacity/definitions';
import { GIT_DEFINITION } from '../store/git';
import type { GitInfo } from '../types';
import { adaptiveRule, renderAdaptive } from './adaptive';
import { callSettingMetrics, callSettingRows } from './callSettings';
import { code, escapeInline, fmtNum, table } from './format';
import { isRecord, records, str, type ReportInput } from './model';
import { endpointServerTexts } from './servers';

/** Metric names a report shows (present in any group of the summary), in a stable order. */
export function metricsShown(input: ReportInput): string[] {
  const names = new Set<string>();
  const visit = (g: unknown): void => {
    if (!isRecord(g)) return;
    for (const k of Object.keys(g)) if (statOf(g, k) !== null) names.add(k);
  };
  for (const v of input.summary.variants) {
    visit(v);
    for (const g of Object.values(v.stages ?? {})) visit(g);
    for (const g of Object.values(v.agents ?? {})) visit(g);
    if (v.stageDurations) for (const k of Object.keys(v.stageDurations)) names.add(`stages.${k}`);
  }
  if (input.summary.multiAgent) visit(input.summary.multiAgent);
  if (input.summary.multiAgent) names.add('contention_rate');
  if (input.summary.variants.some((v) => v.decode_tps_weighted)) names.add('decode_tps_weighted');
  if (input.summary.variants.some((v) => v.decode_tps_call_mean)) names.add('decode_tps_call_mean');
  if (input.summary.capacity) for (const k of Object.keys(CAPACITY_DEFINITIONS)) names.add(k);
  for (const k of callSettingMetrics(input)) names.add(k);
  return [...names];
}

function workflowText(x: Record<string, unknown>): string {
  const wf = isRecord(x.workflow) ? x.workflow : null;
  const lines: string[] = [];
  const kind = str(x.kind);
  if (kind === 'prompt') {
    const prompts = Array.isArray(x.prompts) ? x.prompts.length : 0;
    lines.push(`Each run is one ${code(str(x.api, 'generate'))} request (${x.stream === false ? 'not streamed' : 'streamed'}) of one of ${prompts} prompt(s) with the variant's options.`);
  } else if (kind === 'command') {
    lines.push('Each run executes one external implementation (argv, no shell); its LLM calls are recorded through the recording proxy or its own JSON-line reports, and its start-up, RSS and CPU time are measured.');
  } else if (wf) {
    const type = str(wf.type);
    if (type === 'report-agent') lines.push('Each run executes the report-agent workflow: ingest the input files into a data inventory, an *analysis* LLM call, then a *report* LLM call that writes a markdown report from the analysis.');
    else if (type === 'prompt') lines.push(`Each run executes a workflow of ${Array.isArray(wf.prompts) ? wf.prompts.length : 0} prompt step(s), one LLM call each.`);
    else lines.push(`Each run executes a custom workflow of ${records(wf.steps).length} step(s): ${records(wf.steps).map((s) => code(str(s.name))).join(', ')}.`);
    if (Array.isArray(wf.inputs) && wf.inputs.length) lines.push(`Inputs: ${wf.inputs.map((g) => code(String(g))).join(', ')} (a run that ingests 0 files is invalid).`);
  }
  if (kind === 'capacity' && isRecord(x.capacity) && isRecord(x.capacity.load)) {
    const l = x.capacity.load;
    const levels = Array.isArray(l.levels) ? l.levels.join(', ') : '?';
    lines.push(l.mode === 'rate'
      ? `Each run holds one arrival rate (${levels} requests/s, ${escapeInline(str(l.arrival))} arrivals, seed ${String(l.seed)}) for ${String(l.warmupS)} s of warm-up (recorded, not counted) and ${String(l.durationS)} s of counted load; a unit of load is ${wf ? 'one workflow run as described' : 'one request of one prompt'}.`
      : `Each run keeps ${levels} units of load in flight (closed loop; one level per run) for ${String(l.warmupS)} s of warm-up (recorded, not counted) and ${String(l.durationS)} s of counted load; a unit of load is ${wf ? 'one workflow run as described' : 'one request of one prompt'}.`);
    if (Array.isArray(l.endpoints)) lines.push(`Requests go round-robin to ${l.endpoints.map((e) => code(String(e))).join(', ')}.`);
  }
  if (kind === 'multi-agent') {
    const agents = records(x.agents);
    lines.push(`${agents.length} agents are started together (barrier start) in every run: ${agents.map((a) => `${code(str(a.name))} on ${code(str(a.endpoint))}`).join(', ')}.`);
    lines.push(x.sequentialBaseline === false ? 'No solo (sequential) baseline was run.' : 'Each agent is also run alone (solo baseline, same endpoint and options) to measure the real speedup.');
  }
  lines.push(`Model: ${code(str(x.model, 'unknown'))}; max tokens per call: ${x.maxTokens === null || x.maxTokens === undefined ? 'not limited' : String(x.maxTokens)}.`);
  return lines.join(' ');
}

function protocolRows(input: ReportInput): string[][] {
  const x = input.meta.experiment;
  const retry = isRecord(x.retry) ? x.retry : {};
  const v = (k: string): string => (x[k] === undefined ? '—' : escapeInline(typeof x[k] === 'string' ? (x[k] as string) : JSON.stringify(x[k])));
  return [
    ['Variants', String(records(x.variants).length)],
    ['Repetitions per variant', input.meta.adaptive ? adaptiveRule(input.meta.adaptive) : v('repetitions')],
    ['Warm-up runs per variant (recorded, not counted)', v('warmup')],
    ['Re-warm runs added after load-time option changes', String(input.facts.rewarm)],
    ['Run order', `${v('order')} (seed ${v('seed')})`],
    ['Cooldown between runs (ms)', v('cooldownMs')],
    ['Unload model between variants (keep_alive 0)', v('unloadBetweenVariants')],
    ['keep_alive', x.keepAlive === undefined ? 'not sent (server default, 5m unless OLLAMA_KEEP_ALIVE is set)' : v('keepAlive')],
    ['First-byte timeout per call (ms; covers a model load)', v('firstByteTimeoutMs')],
    ['Silence timeout between chunks (ms)', v('timeoutMs')],
    ['Retry policy (503 busy / refused before data)', `${retry.attempts ?? '—'} attempts, ${retry.delayMs ?? '—'} ms apart`],
    ['Cold-call threshold (load_ms)', v('coldThresholdMs')],
    ...callSettingRows(input),
  ];
}

/** environment.git in words; absent = not a git work tree when the run started (or git not on PATH). */
export function gitText(g: GitInfo | undefined): string {
  if (!g) return 'not recorded (not a git work tree, or git not found)';
  const state = g.dirty ? `dirty, diff ${g.diffHash ? code(g.diffHash.replace(/^sha256:/, '').slice(0, 12)) : 'not hashed'}` : 'clean';
  return `${g.commit ? code(g.commit.slice(0, 12)) : 'no commit yet'}${g.branch ? ` on ${code(g.branch)}` : ' (detached)'}, ${state}`;
}

function environmentRows(input: ReportInput): string[][] {
  const env = input.meta.environment;
  const rows: string[][] = [];
  if (env?.host) {
    const h = env.host;
    const known = (x: unknown): x is number => typeof x === 'number' && x > 0;
    rows.push(
      ['Host', `${escapeInline(String(h.os ?? 'unknown'))} ${escapeInline(String(h.arch ?? ''))}`],
      ['CPU', `${known(h.cpus) ? `${h.cpus} × ` : ''}${escapeInline(h.cpuModel ?? 'unknown model')}`],
      ['Memory', known(h.memoryBytes) ? `${fmtNum(h.memoryBytes / 2 ** 30)} GiB` : 'unknown'],
      ['Node.js', escapeInline(String(h.node ?? 'unknown'))],
    );
  }
  rows.push(['GPU', (env?.gpus ?? []).map((g) => escapeInline(g.name)).join('; ') || 'none detected']);
  const managed = endpointServerTexts(input);
  for (const e of env?.endpoints ?? []) {
    const m = managed.get(e.name);
    rows.push([`Server ${code(e.name)}`, `${escapeInline(e.url)}, version ${escapeInline(e.version ?? 'unknown')}${m ? `; ${m}` : ''}`]);
  }
  if (env?.tool) rows.push(['Harness', `${escapeInline(env.tool.name)} ${escapeInline(env.tool.version)}`]);
  rows.push(['Workspace git', gitText(env?.git)]);
  return rows;
}

export function renderMethodology(input: ReportInput): string {
  const { meta, summary } = input;
  const out: string[] = [];
  out.push('### Hardware and software', '', table(['Item', 'Value'], environmentRows(input)), '');
  if (meta.environment?.git) out.push(`Workspace git: ${escapeInline(GIT_DEFINITION)}`, '');
  out.push('### Workflow', '', workflowText(meta.experiment), '');
  out.push('### Protocol', '', table(['Setting', 'Value'], protocolRows(input)), '');
  if (meta.adaptive) out.push('### Adaptive repetitions', '', renderAdaptive(meta.adaptive), '');
  // A TR written before a metric existed has no recorded definition of it (e.g. client_decode_tps,
  // recomputed from its raw chunk times): today's definition is the one that was applied.
  const defs = { ...ALL_DEFINITIONS, ...summary.definitions, ...meta.metricDefinitions };
  const rows = metricsShown(input).map((m) => [code(m), escapeInline(defs[m] ?? 'no definition recorded')]);
  out.push('### Metric definitions', '', 'Definitions as recorded in meta.json for the metrics shown in this report.', '', table(['Metric', 'Definition'], rows), '');
  const method = summary.method;
  const statRows = ['counted_runs', 'per_run_value', 'stages', 'ci95', 'percentiles', 'outliers', 'comparison', 'sample_size_hint']
    .filter((k) => summary.definitions?.[k])
    .map((k) => [code(k), escapeInline(summary.definitions[k])]);
  out.push('### Statistics', '');
  if (method) out.push(`Confidence ${Math.round(method.confidence * 100)}%, α = ${method.alpha}, bootstrap ${method.bootstrapResamples} resamples with seed ${method.bootstrapSeed}, sample-size hints for a ${method.detectPercent}% difference at power ${method.power}.`, '');
  out.push(table(['Rule', 'How'], statRows), '');
  return out.join('\n');
}
