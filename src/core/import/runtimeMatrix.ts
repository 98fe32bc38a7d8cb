// Layout runtime-matrix (TR115_v2): runtime-<rt>/<config>/run_<n>/{run_1/metrics.json, summary.json}; each
// run_<n> was a separate process with --runs 1. Variants are runtime/config; the runtime is the scenario,
// so scenario statistics are the per-runtime numbers the report headlines.
import { join } from 'node:path';
import type { RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { MultiRunChecks, Tally } from './checks';
import { importDefinitions } from './definitions';
import { newEnvironment } from './environment';
import { type EndpointNames, timeRange } from './names';
import { ORIGINAL_CONTENTION } from './multiRun';
import { checkTestSummary, importRunFolders } from './rustMulti';
import type { ImportScan } from './scan';
import type { Difference, ImportPlan } from './types';

const RUNTIME_DIR = /^runtime-(.+)$/;
const INNER_RUN = /^run_\d+$/;

export function parseRuntimeMatrix(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const root = scan.root;
  const runs: RunRecord[] = [];
  const variants: VariantSpec[] = [];
  const outputs = new Map<string, string>();
  const env = newEnvironment();
  const checks = new MultiRunChecks();
  const throughput = new Tally();
  const runAgg = new Tally();
  const runCounts = new Tally();
  const runtimes: string[] = [];
  const ctx = { counter: { n: 0 }, endpoints, outputs, checks, throughput, env };
  for (const folder of scan.dirs(root)) {
    const m = RUNTIME_DIR.exec(folder);
    if (!m) {
      scan.skip(join(root, folder), 'not a runtime-<name> folder');
      continue;
    }
    const runtime = m[1];
    runtimes.push(runtime);
    for (const config of scan.dirs(join(root, folder))) {
      const dir = join(root, folder, config);
      const variant = `${runtime}/${config}`;
      const inner = (runDir: string): string => join(runDir, scan.dirs(runDir).find((d) => INNER_RUN.test(d)) ?? 'run_1', 'metrics.json');
      const configRuns = importRunFolders(scan, dir, variant, inner, ctx);
      for (const r of configRuns) checkTestSummary(scan, join(dir, `run_${r.repetition}`), `${variant}/run_${r.repetition}`, [r], runAgg, runCounts);
      scan.accountOthers(dir, []);
      if (configRuns.length === 0) continue;
      variants.push({ name: variant, scenario: runtime, options: Object.fromEntries(configRuns[0].agents!.map((a) => [a.name, a.options])) });
      runs.push(...configRuns);
    }
  }
  const differences = [
    ...checks.rows('run_<n>/run_1/metrics.json summary'),
    runAgg.row('Per-run summary.json aggregate.average_efficiency vs recomputed', 'run_<n>/summary.json'),
    throughput.row('Per-call throughput_tokens_per_sec vs eval_count / eval_duration', 'run_1/metrics.json llm_calls'),
  ].filter((d): d is Difference => d !== null);
  const t = timeRange(runs.map((r) => r.startedAt));
  return {
    layout: 'runtime-matrix', kind: 'multi-agent', title: 'Rust async runtimes × configurations, two agents (imported TR115_v2 layout)', suggestedId: 'TR115_v2',
    runs, variants, outputs, files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('runtime-matrix'),
    notes: ['Each run_<n> was a separate process (--runs 1); the runtime is the scenario, so scenario statistics are per runtime over all its configs.'],
    experiment: { kind: 'multi-agent', layout: 'runtime-matrix', runtimes, configs: [...new Set(variants.map((v) => v.name.split('/')[1]))] },
    contentionRule: { ...ORIGINAL_CONTENTION, source: 'Rust summarize_run: resource_contention_detected = concurrency_speedup < 1.5' },
    firstAt: t.first, lastAt: t.last,
  };
}
