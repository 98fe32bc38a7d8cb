// Layout rust-single (TR111_v2): <config>/data/metrics.json, each holding a baseline and a chimera agent with
// N workflow runs of two streamed calls. One RunRecord per workflow run; variants are config/agent.
import { outputRef } from '../store/outputs';
import { join } from 'node:path';
import type { CallRecord, RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { close, mean, Tally } from './checks';
import { importDefinitions } from './definitions';
import { newEnvironment, noteModel, noteSystemInfo } from './environment';
import { type EndpointNames, parseConfigName, timeRange } from './names';
import { rustCall, rustStages, stageOffsets, throughputMismatches } from './rustCalls';
import { arr, type ImportScan, num, obj, str } from './scan';
import type { Difference, ImportPlan } from './types';

export const SINGLE_AGENTS = ['baseline', 'chimera'] as const;

function sampleSd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

interface Checks { avgTps: Tally; sdTps: Tally; avgTtft: Tally; delta: Tally; perCall: Tally }

function agentRuns(rr: Record<string, unknown>, config: string, agent: string, first: number, endpoint: { name: string; url: string }, outputs: Map<string, string>, checks: Checks): RunRecord[] {
  const options = obj(rr.configuration) ?? {};
  const model = str(rr.model) ?? 'unknown';
  const at = str(rr.timestamp) ?? '';
  const agg = obj(rr.aggregate_metrics);
  const wruns = arr(rr.workflow_runs).map(obj).filter((w): w is Record<string, unknown> => w !== undefined);
  const allCalls: CallRecord[] = [];
  const runs = wruns.map((w, i): RunRecord => {
    const rn = num(w.run_number) ?? i + 1;
    const stages = rustStages(w.workflow);
    const offsets = stageOffsets(stages);
    const raws = arr(w.llm_calls).length ? arr(w.llm_calls) : arr(rr.llm_calls).filter((c) => num(obj(c)?.run_number) === rn);
    const calls: CallRecord[] = [];
    raws.forEach((c, k) => {
      const stage = str(obj(c)?.stage) ?? `call${k + 1}`;
      const response = str(obj(c)?.response);
      const name = `run${first + i}_${agent}_${k + 1}_${stage}.md`;
      if (response) outputs.set(name, response);
      const call = rustCall(c, { endpoint: endpoint.name, url: endpoint.url, model, options, startedAt: at, sendOffsetMs: offsets[stage] ?? 0, outputFile: response ? outputRef(name) : undefined });
      if (call) calls.push(call);
    });
    checks.perCall.check(`${config}/${agent}/run_${rn}`, throughputMismatches(raws, calls) === 0);
    allCalls.push(...calls);
    const files = num(w.benchmark_data_count);
    const record: RunRecord = {
      run: first + i, variant: `${config}/${agent}`, repetition: rn, warmup: false, valid: files !== 0, status: 'ok', startedAt: at,
      wallMs: stages?.total ?? calls.reduce((s, c) => s + c.client.endMs, 0), calls,
      original: { agent_type: str(rr.agent_type), run_number: rn, aggregate_metrics: agg },
    };
    if (files === 0) record.invalidReason = 'the workflow ingested 0 files';
    if (stages) record.stages = stages;
    if (files !== undefined) record.filesIngested = files;
    return record;
  });
  const rates = allCalls.map((c) => c.metrics?.decode_tps).filter((x): x is number => typeof x === 'number');
  const ttfts = allCalls.map((c) => c.metrics?.ttft_ms).filter((x): x is number => typeof x === 'number');
  const where = `${config}/${agent}`;
  if (agg && rates.length) {
    const s = num(agg.average_tokens_per_second);
    if (s !== undefined) checks.avgTps.check(where, close(s, mean(rates)));
    const sd = num(agg.stddev_throughput);
    if (sd !== undefined) checks.sdTps.check(where, close(sd, sampleSd(rates), 1e-6));
  }
  const t = num(agg?.average_ttft_ms);
  if (t !== undefined && ttfts.length) checks.avgTtft.check(where, close(t, mean(ttfts)));
  return runs;
}

export function parseRustSingle(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const root = scan.root;
  const runs: RunRecord[] = [];
  const variants: VariantSpec[] = [];
  const outputs = new Map<string, string>();
  const env = newEnvironment();
  const checks: Checks = { avgTps: new Tally(), sdTps: new Tally(), avgTtft: new Tally(), delta: new Tally(), perCall: new Tally() };
  const configs: Record<string, unknown> = {};
  const url = 'unknown';
  const endpoint = { name: endpoints.name(url), url };
  // baseline_default first: it is the reference the other configurations are compared against.
  const folders = scan.dirs(root).sort((a, b) => Number(b === 'baseline_default') - Number(a === 'baseline_default'));
  for (const config of folders) {
    const dir = join(root, config);
    const read = scan.readConfigMetrics(dir);
    const d = obj(read?.data);
    if (!read || !d) continue;
    const { file } = read;
    configs[config] = parseConfigName(config)?.options ?? (config === 'baseline_default' ? 'chimera flags unset' : null);
    const byAgent: Record<string, number[]> = {};
    for (const agent of SINGLE_AGENTS) {
      const rr = obj(d[agent]);
      if (!rr) {
        scan.skip(file, `no "${agent}" agent result`);
        continue;
      }
      noteSystemInfo(env, rr.system_info, scan.rel(file));
      noteModel(env, str(rr.model));
      const agentR = agentRuns(rr, config, agent, runs.length + 1, endpoint, outputs, checks);
      if (agentR.length === 0) continue;
      byAgent[agent] = agentR.flatMap((r) => r.calls.map((c) => c.metrics?.decode_tps ?? NaN)).filter(Number.isFinite);
      variants.push({ name: `${config}/${agent}`, scenario: agent, options: obj(rr.configuration) ?? {} });
      runs.push(...agentR);
    }
    const storedPct = num(obj(d.delta)?.throughput_improvement_percent);
    if (storedPct !== undefined && byAgent.baseline?.length && byAgent.chimera?.length) {
      const b = mean(byAgent.baseline);
      checks.delta.check(config, close(storedPct, ((mean(byAgent.chimera) - b) / b) * 100, 1e-6));
    }
  }
  const differences = [
    checks.avgTps.row('Agent aggregate average_tokens_per_second vs mean of per-call decode_tps', '<config>/data/metrics.json aggregate_metrics', 'Where they differ, a call produced no tokens and no counters: the original averaged it in as 0 tok/s, here it is a failed call left out of rates.'),
    checks.sdTps.row('Agent aggregate stddev_throughput vs sample sd of per-call decode_tps', '<config>/data/metrics.json aggregate_metrics', 'The original σ mixes analysis and report calls (ORIGINS.md §3.2); the summary here keeps stages apart.'),
    checks.avgTtft.row('Agent aggregate average_ttft_ms vs mean of per-call client TTFT', '<config>/data/metrics.json aggregate_metrics'),
    checks.delta.row('delta.throughput_improvement_percent vs (chimera − baseline) / baseline × 100', '<config>/data/metrics.json delta'),
    checks.perCall.row('Per-call throughput_tokens_per_sec vs eval_count / eval_duration', 'llm_calls'),
  ].filter((x): x is Difference => x !== null);
  const t = timeRange(runs.map((r) => r.startedAt));
  return {
    layout: 'rust-single', kind: 'agent', title: 'Rust single agent, baseline vs chimera sweep (imported TR111_v2 layout)', suggestedId: 'TR111_v2',
    runs, variants, outputs, files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('rust-single'),
    notes: [
      'Every config folder re-measured the baseline agent (no options) before its chimera agent, in one process without unloading or warm-up: first calls include model loads.',
      'The endpoint URL was not stored (the program default was http://localhost:11434).',
    ],
    experiment: { kind: 'agent', layout: 'rust-single', configs, singleAgents: [...SINGLE_AGENTS] },
    firstAt: t.first, lastAt: t.last,
  };
}
