// Layout python-multi (TR110): phase_<p>_test_<NNN>/run_<n>/metrics.json + summary.json, and at the root
// comprehensive_test_summary.json. The Python program stored only agent aggregates (no per-call records),
// so runs carry agents with wall times and the original's aggregates under `original`.
import { join } from 'node:path';
import type { AgentRecord, RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { close, mean, MultiRunChecks, Tally } from './checks';
import { importDefinitions } from './definitions';
import { newEnvironment, noteModel } from './environment';
import { type EndpointNames, normalizeScenario, testId, timeRange } from './names';
import { AGENT_ROLES, ORIGINAL_CONTENTION, recomputeMultiAgent } from './multiRun';
import { arr, type ImportScan, isFile, num, obj, str } from './scan';
import type { Difference, ImportPlan } from './types';

const TEST_DIR = /^phase_(\d+)_test_(\d+)$/;
const RUN_DIR = /^run_(\d+)$/;

interface TestInfo { start?: string; scenario?: string }

function pyRun(json: unknown, run: number, variant: string, repetition: number, startedAt: string, endpoints: EndpointNames): RunRecord | string {
  const d = obj(json);
  const s = obj(d?.summary);
  const wallS = num(s?.concurrent_wall_time);
  if (!d || !s || wallS === undefined) return 'no summary.concurrent_wall_time';
  const agents: AgentRecord[] = [];
  let tokens = 0;
  for (const role of AGENT_ROLES) {
    const a = obj(d[role]);
    const wall = num(d[`${role}_execution_time`]) ?? num(s[role === 'collector' ? 'baseline_duration' : 'chimera_duration']);
    if (!a || wall === undefined) return `no usable "${role}" agent (aggregate and execution time are required)`;
    const url = str(s[`${role}_ollama_url`]) ?? 'unknown';
    tokens += num(obj(a.aggregate_metrics)?.total_tokens_generated) ?? 0;
    agents.push({ name: role, endpoint: endpoints.name(url), options: obj(a.configuration) ?? {}, startOffsetMs: NaN, wallMs: wall * 1000, status: 'ok', calls: [] });
  }
  const wallMs = wallS * 1000;
  return {
    run, variant, repetition, warmup: false, valid: true, status: 'ok', startedAt, wallMs, calls: [], agents,
    multiAgent: recomputeMultiAgent(agents, wallMs, tokens),
    original: {
      summary: s,
      collector: { agent_type: str(obj(d.collector)?.agent_type), aggregate_metrics: obj(d.collector)?.aggregate_metrics },
      insight: { agent_type: str(obj(d.insight)?.agent_type), aggregate_metrics: obj(d.insight)?.aggregate_metrics },
    },
  };
}

function comprehensive(scan: ImportScan, root: string): { tests: Map<string, TestInfo>; doc: Record<string, unknown> | undefined } {
  const tests = new Map<string, TestInfo>();
  const file = join(root, 'comprehensive_test_summary.json');
  const doc = isFile(file) ? obj(scan.readJson(file)) : undefined;
  for (const t of arr(doc?.all_test_results)) {
    const o = obj(t);
    const id = num(o?.test_id);
    if (o && id !== undefined) tests.set(`test${String(id).padStart(3, '0')}`, { start: str(o.start_time), scenario: str(o.scenario) });
  }
  return { tests, doc };
}

export function parsePythonMulti(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const root = scan.root;
  const { tests, doc } = comprehensive(scan, root);
  const runs: RunRecord[] = [];
  const variants: VariantSpec[] = [];
  const env = newEnvironment();
  const checks = new MultiRunChecks();
  const eff = new Tally();
  const speed = new Tally();
  const cont = new Tally();
  const phases: Record<string, string[]> = {};
  for (const folder of scan.dirs(root)) {
    const m = TEST_DIR.exec(folder);
    const dir = join(root, folder);
    if (!m) {
      scan.skip(dir, 'not a phase_<p>_test_<NNN> folder');
      continue;
    }
    const id = testId(folder)!;
    const summaryFile = join(dir, 'summary.json');
    const summary = isFile(summaryFile) ? obj(scan.readJson(summaryFile)) : undefined;
    const info = tests.get(id) ?? {};
    const scenario = normalizeScenario(str(summary?.scenario) ?? info.scenario ?? 'unknown');
    const testRuns: RunRecord[] = [];
    for (const runFolder of scan.dirs(dir)) {
      const rm = RUN_DIR.exec(runFolder);
      const runDir = join(dir, runFolder);
      if (!rm) {
        scan.skip(runDir, 'not a run_<n> folder (not read)');
        continue;
      }
      const file = join(runDir, 'metrics.json');
      scan.accountOthers(runDir, ['metrics.json']);
      if (!isFile(file)) {
        scan.skip(runDir, scan.fileNames(runDir).length === 0 ? 'empty run folder' : 'run folder without metrics.json');
        continue;
      }
      const json = scan.readJson(file);
      if (json === undefined) continue;
      const r = pyRun(json, runs.length + testRuns.length + 1, id, Number(rm[1]), info.start ?? str(summary?.generated_at) ?? '', endpoints);
      if (typeof r === 'string') {
        scan.skip(file, r);
        continue;
      }
      const s = obj(obj(json)?.summary)!;
      const flag = s.resource_contention_detected;
      checks.add(`${id}/${runFolder}`, { efficiency: null, speedup: num(s.concurrency_speedup) ?? null, contention: typeof flag === 'boolean' ? flag : null }, r.multiAgent!);
      noteModel(env, str(obj(obj(json)?.collector)?.model));
      testRuns.push(r);
    }
    if (!summary && !isFile(summaryFile)) scan.skip(summaryFile, `missing: the original wrote no summary.json for ${id} (its ${testRuns.length} run${testRuns.length === 1 ? ' is' : 's are'} imported; no stored aggregate to compare)`);
    scan.accountOthers(dir, ['summary.json']);
    if (testRuns.length === 0) continue;
    const agg = obj(summary?.aggregate);
    const effs = testRuns.map((r) => r.multiAgent!.overlap_efficiency);
    const storedEff = num(agg?.average_efficiency);
    if (storedEff !== undefined) eff.check(id, close(storedEff, mean(effs)));
    const storedSpeed = num(agg?.average_concurrency_speedup);
    if (storedSpeed !== undefined) speed.check(id, close(storedSpeed, mean(effs) / 50));
    const storedCont = num(agg?.contention_detected_runs);
    if (storedCont !== undefined) cont.check(id, storedCont === testRuns.filter((r) => r.multiAgent!.contention).length);
    (phases[`phase_${m[1]}`] ??= []).push(id);
    variants.push({ name: id, scenario, options: Object.fromEntries(testRuns[0].agents!.map((a) => [a.name, a.options])) });
    runs.push(...testRuns);
  }
  scan.accountOthers(root, ['comprehensive_test_summary.json', 'test_execution_log.json']);
  const differences = [
    ...checks.rows('run_*/metrics.json summary'),
    eff.row('Per-test summary.json aggregate.average_efficiency vs mean of recomputed run efficiencies', 'phase_*_test_*/summary.json'),
    speed.row('Per-test summary.json aggregate.average_concurrency_speedup vs recomputed', 'phase_*_test_*/summary.json'),
    cont.row('Per-test summary.json aggregate.contention_detected_runs vs runs flagged by speedup < 1.5', 'phase_*_test_*/summary.json'),
    topConfig(doc, runs, variants),
  ].filter((d): d is Difference => d !== null);
  const t = timeRange([...runs.map((r) => r.startedAt), str(obj(doc?.test_execution)?.end_time)]);
  return {
    layout: 'python-multi', kind: 'multi-agent', title: 'Python two-agent concurrency, dual Ollama (imported TR110 layout)', suggestedId: 'TR110',
    runs, variants, outputs: new Map(), files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('python-multi'),
    notes: ['The Python program stored no per-call records: per-call metrics (TTFT, decode rate) exist only as the agents\' own aggregates under `original`.'],
    experiment: { kind: 'multi-agent', layout: 'python-multi', phases, test_execution: obj(doc?.test_execution) ?? null },
    contentionRule: { ...ORIGINAL_CONTENTION, source: 'TR110 data: resource_contention_detected equals concurrency_speedup < 1.5 in every stored run' },
    firstAt: t.first, lastAt: t.last,
  };
}

/** comprehensive_test_summary.json's top configuration vs our best test mean. */
function topConfig(doc: Record<string, unknown> | undefined, runs: RunRecord[], variants: VariantSpec[]): Difference | null {
  const top = obj(arr(obj(doc?.configuration_analysis)?.top_10_configs)[0]);
  const stored = num(top?.efficiency);
  if (!top || stored === undefined || variants.length === 0) return null;
  const means = variants.map((v) => ({ v: v.name, m: mean(runs.filter((r) => r.variant === v.name).map((r) => r.multiAgent!.overlap_efficiency)) }));
  const best = means.reduce((a, b) => (b.m > a.m ? b : a));
  return {
    what: 'Best configuration by mean efficiency (comprehensive_test_summary top_10_configs[0])',
    original: `${str(top.scenario)} ${num(top.gpu)}/${num(top.context)}/${num(top.temperature)}: ${stored}`,
    recomputed: `${best.v}: ${best.m}`,
    source: 'comprehensive_test_summary.json',
    unit: '%',
    agrees: close(stored, best.m),
  };
}
