// Layout python-sweep (TR109): run_gpu*_ctx*_temp*/data/metrics.json, a list of runs each holding a baseline
// and a chimera agent result. Only agent aggregates were stored (no per-call records); the runs ingested 0
// files, which the product's validity guard marks invalid.
import { join } from 'node:path';
import type { RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { close, Tally } from './checks';
import { importDefinitions } from './definitions';
import { newEnvironment, noteModel } from './environment';
import { type EndpointNames, parseConfigName, timeRange } from './names';
import { type ImportScan, num, obj, str } from './scan';
import type { Difference, ImportPlan } from './types';

const AGENTS = [['baseline', 'baseline_results', 'baseline_duration'], ['chimera', 'chimera_results', 'chimera_duration']] as const;

function pct(a: number, b: number): number {
  return a > 0 ? ((b - a) / a) * 100 : 0;
}

export function parsePythonSweep(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const root = scan.root;
  const runs: RunRecord[] = [];
  const variants: VariantSpec[] = [];
  const env = newEnvironment();
  const tps = new Tally();
  const ttft = new Tally();
  const url = 'http://localhost:11434';
  const endpoint = endpoints.name(url);
  const configs: Record<string, unknown> = {};
  let zeroFiles = 0;
  for (const folder of scan.dirs(root)) {
    const dir = join(root, folder);
    const parsed = parseConfigName(folder);
    const read = scan.readConfigMetrics(dir);
    if (!read) continue;
    const { file, data: list } = read;
    if (!Array.isArray(list)) {
      scan.skip(file, 'not a Python sweep metrics.json (expected a list of runs)');
      continue;
    }
    const config = folder.replace(/^run_/, '');
    configs[config] = parsed?.options ?? null;
    for (const [agent, key, durKey] of AGENTS) {
      const before = runs.length;
      for (const item of list) {
        const it = obj(item);
        const res = obj(it?.[key]);
        const m = obj(res?.metrics);
        const exec = num(res?.execution_time);
        if (!it || !res || !m || exec === undefined) continue;
        const files = num(res.benchmark_data_count);
        if (files === 0) zeroFiles++;
        noteModel(env, str(m.model));
        const r: RunRecord = {
          run: runs.length + 1, variant: `${config}/${agent}`, repetition: num(it.run_number) ?? 1, warmup: false,
          valid: files !== 0, status: 'ok', startedAt: str(res.start_time) ?? '', wallMs: exec * 1000, calls: [],
          original: { agent_type: str(m.agent_type), aggregate_metrics: m.aggregate_metrics, subprocess_duration_s: num(it[durKey]), performance_delta: it.performance_delta, end_time: str(res.end_time) },
        };
        if (files === 0) r.invalidReason = 'the agent ingested 0 files (benchmark_data_count = 0): it analysed an empty inventory';
        if (files !== undefined) r.filesIngested = files;
        runs.push(r);
      }
      const agentRuns = runs.slice(before);
      if (agentRuns.length === 0) continue;
      variants.push({ name: `${config}/${agent}`, scenario: agent, options: obj(obj(obj(obj(list[0])?.[key])?.metrics)?.configuration) ?? {} });
    }
    for (const item of list) {
      const it = obj(item);
      const d = obj(it?.performance_delta);
      const b = obj(obj(obj(it?.baseline_results)?.metrics)?.aggregate_metrics);
      const c = obj(obj(obj(it?.chimera_results)?.metrics)?.aggregate_metrics);
      const where = `${config}/run_${num(it?.run_number) ?? '?'}`;
      const [bt, ct, bf, cf] = [num(b?.average_tokens_per_second), num(c?.average_tokens_per_second), num(b?.average_ttft_ms), num(c?.average_ttft_ms)];
      const sp = num(d?.throughput_improvement_percent);
      if (sp !== undefined && bt !== undefined && ct !== undefined) tps.check(where, close(sp, pct(bt, ct), 1e-6));
      const st = num(d?.ttft_reduction_percent);
      if (st !== undefined && bf !== undefined && cf !== undefined) ttft.check(where, close(st, bf > 0 ? ((bf - cf) / bf) * 100 : 0, 1e-6));
    }
  }
  const differences = [
    tps.row('performance_delta.throughput_improvement_percent vs recomputed from the stored agent averages', 'data/metrics.json performance_delta'),
    ttft.row('performance_delta.ttft_reduction_percent vs recomputed from the stored agent averages', 'data/metrics.json performance_delta'),
  ].filter((x): x is Difference => x !== null);
  const t = timeRange(runs.map((r) => r.startedAt));
  const notes = [
    'The Python agent stored only per-agent aggregates (mean and p95 of its 2 calls), no per-call records: throughput and TTFT are under `original` only.',
    'Per run the chimera agent ran first, then (after 30 s) the baseline agent, each in its own subprocess.',
  ];
  if (zeroFiles) notes.push(`${zeroFiles} agent runs ingested 0 files (benchmark_data_count = 0) and are marked invalid: the original analysed an empty inventory.`);
  return {
    layout: 'python-sweep', kind: 'agent', title: 'Python single agent, baseline vs chimera sweep (imported TR109 layout)', suggestedId: 'TR109',
    runs, variants, outputs: new Map(), files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('python-sweep'), notes,
    experiment: { kind: 'agent', layout: 'python-sweep', configs, singleAgents: AGENTS.map((a) => a[0]), endpoint: `${endpoint} = ${url} (hard-coded in the Python agent)` },
    firstAt: t.first, lastAt: t.last,
  };
}
