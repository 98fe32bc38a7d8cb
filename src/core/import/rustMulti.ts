// Layout rust-multi (TR114_v2): <scenario>/<testNNN>/run_<n>/metrics.json + <scenario>/<testNNN>/summary.json.
// Scenario folders spelled two ways (chimera-homo / chimera_homo) are one scenario; tests without a
// summary.json are imported from their runs and reported.
import { dirname, join } from 'node:path';
import type { RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { close, mean, MultiRunChecks, Tally } from './checks';
import { importDefinitions } from './definitions';
import { newEnvironment, noteModel, noteSystemInfo } from './environment';
import { type EndpointNames, isKnownScenario, normalizeScenario, testId, timeRange } from './names';
import { ORIGINAL_CONTENTION, rustMultiRun } from './multiRun';
import { arr, type ImportScan, isFile, num, obj } from './scan';
import type { Difference, ImportPlan } from './types';

const RUN_DIR = /^run_(\d+)$/;

export interface RunFolderResult { runs: RunRecord[]; stamps: string[] }

/** The run_<n> folders of one test/config: each metrics.json → RunRecord; empty folders and bad files skipped. */
export function importRunFolders(
  scan: ImportScan, dir: string, variant: string, metricsPath: (runDir: string) => string,
  ctx: { counter: { n: number }; endpoints: EndpointNames; outputs: Map<string, string>; checks: MultiRunChecks; throughput: Tally; env: ImportPlan['environment'] },
): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const name of scan.dirs(dir)) {
    const m = RUN_DIR.exec(name);
    if (!m) {
      scan.skip(join(dir, name), 'not a run_<n> folder (not read)');
      continue;
    }
    const runDir = join(dir, name);
    const file = metricsPath(runDir);
    if (!isFile(file)) {
      scan.skip(runDir, scan.fileNames(runDir).length === 0 && scan.dirs(runDir).length === 0 ? 'empty run folder' : 'run folder without metrics.json');
      continue;
    }
    scan.accountOthers(runDir, ['metrics.json', 'summary.json']);
    if (dirname(file) !== runDir) scan.accountOthers(dirname(file), ['metrics.json']);
    const json = scan.readJson(file);
    if (json === undefined) continue;
    const run = ctx.counter.n + 1;
    const texts = new Map<string, string>();
    const converted = rustMultiRun(json, { run, variant, repetition: Number(m[1]), outputPrefix: `run${run}` }, ctx.endpoints, texts);
    if (typeof converted === 'string') {
      scan.skip(file, converted);
      continue;
    }
    ctx.counter.n = run;
    for (const [k, v] of texts) ctx.outputs.set(k, v);
    ctx.checks.add(`${variant}/${name}`, converted.stored, converted.record.multiAgent!);
    ctx.throughput.check(`${variant}/${name}`, converted.throughputMismatches === 0);
    const d = obj(json);
    noteSystemInfo(ctx.env, obj(obj(obj(d?.collector)?.result))?.system_info, scan.rel(file));
    for (const a of converted.record.agents ?? []) for (const c of a.calls) noteModel(ctx.env, c.model);
    runs.push(converted.record);
  }
  return runs;
}

/** Stored summary.json aggregate.average_efficiency of a test vs the mean of our recomputed run values. */
export function checkTestSummary(scan: ImportScan, dir: string, label: string, runs: RunRecord[], tally: Tally, counts: Tally): void {
  const file = join(dir, 'summary.json');
  if (!isFile(file)) {
    scan.skip(file, runs.length ? `missing: the original wrote no summary.json for ${label} (its ${runs.length} run${runs.length === 1 ? ' is' : 's are'} imported; no stored aggregate to compare)` : 'missing');
    return;
  }
  const s = obj(scan.readJson(file));
  if (!s || runs.length === 0) return;
  const stored = num(obj(s.aggregate)?.average_efficiency);
  if (stored !== undefined) tally.check(label, close(stored, mean(runs.map((r) => r.multiAgent!.overlap_efficiency))));
  counts.check(label, arr(s.runs).length === runs.length);
}

export function parseRustMulti(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const root = scan.root;
  const runs: RunRecord[] = [];
  const variants: VariantSpec[] = [];
  const outputs = new Map<string, string>();
  const env = newEnvironment();
  const checks = new MultiRunChecks();
  const throughput = new Tally();
  const testAgg = new Tally();
  const testCounts = new Tally();
  const spellings = new Map<string, string[]>();
  const seenTests = new Map<string, string>();
  const ctx = { counter: { n: 0 }, endpoints, outputs, checks, throughput, env };
  for (const folder of scan.dirs(root)) {
    if (!isKnownScenario(folder)) {
      scan.skip(join(root, folder), 'not a scenario folder (baseline-vs-chimera, chimera-hetero, chimera-homo in either spelling)');
      continue;
    }
    const scenario = normalizeScenario(folder);
    spellings.set(scenario, [...(spellings.get(scenario) ?? []), folder]);
    for (const testFolder of scan.dirs(join(root, folder))) {
      const dir = join(root, folder, testFolder);
      const id = testId(testFolder);
      if (id === null) {
        scan.skip(dir, 'not a test<NNN> folder');
        continue;
      }
      if (seenTests.has(id)) {
        scan.skip(dir, `duplicate of ${seenTests.get(id)} (same test in another scenario spelling); first copy kept`);
        continue;
      }
      seenTests.set(id, `${folder}/${testFolder}`);
      const testRuns = importRunFolders(scan, dir, id, (r) => join(r, 'metrics.json'), ctx);
      checkTestSummary(scan, dir, id, testRuns, testAgg, testCounts);
      scan.accountOthers(dir, ['summary.json']);
      if (testRuns.length === 0) continue;
      const first = testRuns[0].agents!;
      variants.push({ name: id, scenario, options: Object.fromEntries(first.map((a) => [a.name, a.options])) });
      runs.push(...testRuns);
    }
  }
  const notes: string[] = [];
  for (const [scenario, folders] of spellings) {
    if (folders.length > 1) notes.push(`Scenario folders ${folders.join(' and ')} are one scenario (${scenario}); their tests are merged.`);
  }
  const differences = [
    ...checks.rows('run_*/metrics.json summary'),
    testAgg.row('Per-test summary.json aggregate.average_efficiency vs mean of recomputed run efficiencies', '<scenario>/<test>/summary.json'),
    testCounts.row('Per-test summary.json run count vs run folders imported', '<scenario>/<test>/summary.json'),
    throughput.row('Per-call throughput_tokens_per_sec vs eval_count / eval_duration', 'run_*/metrics.json llm_calls'),
  ].filter((d): d is Difference => d !== null);
  const t = timeRange(runs.map((r) => r.startedAt));
  return {
    layout: 'rust-multi', kind: 'multi-agent', title: 'Rust two-agent concurrency, dual Ollama (imported TR114_v2 layout)', suggestedId: 'TR114_v2',
    runs, variants, outputs, files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('rust-multi'), notes,
    experiment: { kind: 'multi-agent', layout: 'rust-multi', scenarios: [...spellings.keys()], tests: variants.map((v) => v.name) },
    contentionRule: { ...ORIGINAL_CONTENTION, source: 'Rust summarize_run: resource_contention_detected = concurrency_speedup < 1.5' },
    firstAt: t.first, lastAt: t.last,
  };
}
