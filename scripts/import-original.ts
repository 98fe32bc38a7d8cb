// Imports every layout of the original program's data (../shared/data/original by default) into a reports
// directory, writes the reports and index, and prints the headline checks next to the expected values, plus
// the comparison of TR110 (Python) vs TR114_v2 (Rust) overlap efficiency. Not part of npm test.
//   npx tsx scripts/import-original.ts [DATA_DIR] [--reports-dir DIR]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importResults, type ImportResult } from '../src/core/import/importer';
import type { LayoutName } from '../src/core/import/types';
import { compareTrGroups } from '../src/core/report/compareTrs';
import { regenerateIndex } from '../src/core/report/reportsIndex';
import { writeReport } from '../src/core/report/write';
import { compareSamples } from '../src/core/stats/compare';
import type { RunSummary } from '../src/core/stats/summaryTypes';
import { statOf } from '../src/core/stats/summaryTypes';
import { readRunsSync } from '../src/core/store/read';

const LAYOUTS: [LayoutName, string, string][] = [
  ['tr108-csv', 'outputs/reports', 'TR108'],
  ['python-sweep', 'benchmarks/python/chimera_sweep', 'TR109'],
  ['python-multi', 'src/python/banterhearts/demo_multiagent/comprehensive_test_results', 'TR110'],
  ['rust-single', 'data/research/tr109_rust_full', 'TR111_v2'],
  ['rust-multi', 'data/research/tr110_rust_full', 'TR114_v2'],
  ['runtime-matrix', 'data/research/tr115_results_v2', 'TR115_v2'],
];

function args(): { data: string; reports: string } {
  const a = process.argv.slice(2);
  const i = a.indexOf('--reports-dir');
  const reports = i >= 0 ? resolve(a[i + 1]) : mkdtempSync(join(tmpdir(), 'chimeraforge-original-'));
  const rest = a.filter((_, k) => k !== i && k !== i + 1);
  return { data: resolve(rest[0] ?? '../shared/data/original'), reports };
}

const f = (x: number | null | undefined, d = 3): string => (typeof x === 'number' ? x.toFixed(d) : '—');

function main(): void {
  const { data, reports } = args();
  console.log(`data:    ${data}\nreports: ${reports}\n`);
  const done = new Map<string, ImportResult>();
  for (const [layout, rel, id] of LAYOUTS) {
    const t0 = Date.now();
    const r = importResults(join(data, rel), { reportsDir: reports, layout, as: id });
    const rep = writeReport(r.dir, { reportsDir: reports, index: false });
    done.set(id, r);
    const bad = r.differences.filter((d) => !d.agrees);
    console.log(`${id.padEnd(9)} ${layout.padEnd(15)} ${String(r.runs).padStart(4)} runs  ${String(r.files).padStart(4)} files  skipped ${r.skipped.length}  differences ${bad.length}/${r.differences.length}  charts ${rep.charts.length}  ${Date.now() - t0} ms`);
    for (const s of r.skipped) console.log(`          skipped ${s.file}: ${s.reason}`);
  }
  regenerateIndex(reports);

  const s = (id: string): RunSummary => done.get(id)!.summary;
  const ma = (id: string) => s(id).multiAgent!;
  const scen = (id: string, name: string) => statOf(s(id).scenarios!.find((x) => x.name === name)!, 'overlap_efficiency')!;
  const rust = s('TR111_v2').variants.find((v) => v.name === 'baseline_default/baseline')!;
  const overview = done.get('TR110')!.differences.find((d) => d.what.startsWith('TR110 mean efficiency'))!;
  const rows: [string, string, string][] = [
    ['TR114_v2 mean overlap efficiency (n runs)', '98.281% (135)', `${f(ma('TR114_v2').overlap_efficiency!.mean)}% (${ma('TR114_v2').overlap_efficiency!.n})`],
    ['TR114_v2 max run efficiency', '99.992%', `${f(ma('TR114_v2').overlap_efficiency!.max)}%`],
    ['TR114_v2 contention (speedup < 1.5)', '1/135', `${ma('TR114_v2').contention_flagged}/${ma('TR114_v2').runs}`],
    ['TR110 Python mean overlap efficiency (n runs)', '93.21% (150)', `${f(ma('TR110').overlap_efficiency!.mean, 2)}% (${ma('TR110').overlap_efficiency!.n})`],
    ['TR110 overview claim (difference recorded)', '95.8%', `recorded: original ${overview.original}, recomputed ${f(overview.recomputed as number, 2)}, agrees=${overview.agrees}`],
    ['TR115_v2 tokio-default mean / sample sd (n)', '98.72% / 1.21 pp (30)', `${f(scen('TR115_v2', 'tokio-default').mean, 2)}% / ${f(scen('TR115_v2', 'tokio-default').sd, 2)} pp (${scen('TR115_v2', 'tokio-default').n})`],
    ['TR111_v2 Rust baseline tok/s (mean of per-call rates)', '114.54', f(rust.decode_tps_call_mean?.value, 2)],
  ];
  console.log('\nheadline checks (expected | recomputed from raw runs):');
  for (const [what, exp, got] of rows) console.log(`  ${what.padEnd(54)} ${exp.padEnd(24)} ${got}`);

  const eff = (id: string): number[] => readRunsSync(done.get(id)!.dir).runs.map((r) => r.multiAgent?.overlap_efficiency).filter((x): x is number => typeof x === 'number');
  const c = compareSamples(eff('TR110'), eff('TR114_v2'), { a: 'TR110 (Python, all runs)', b: 'TR114_v2 (Rust, all runs)', metric: 'overlap_efficiency' });
  console.log(`\nTR110 Python vs TR114_v2 Rust overlap efficiency, all runs: n ${c.nA} vs ${c.nB}, diff ${f(c.diff, 2)} pp, 95% CI [${f(c.ci95?.[0], 2)}, ${f(c.ci95?.[1], 2)}], bootstrap [${f(c.bootstrapCi95?.[0], 2)}, ${f(c.bootstrapCi95?.[1], 2)}], p ${c.p === null ? '—' : c.p.toExponential(2)}, g ${f(c.g, 2)}`);
  console.log(`  verdict: ${c.verdict}`);
  const t = compareTrGroups(reports, { tr: 'TR110', variant: 'test108' }, { tr: 'TR114_v2', variant: 'test108' }, 'overlap_efficiency').comparison;
  console.log(`chimeraforge compare TR110:test108 TR114_v2:test108 --metric overlap_efficiency: diff ${f(t.diff, 3)} pp, 95% CI [${f(t.ci95?.[0], 3)}, ${f(t.ci95?.[1], 3)}] — ${t.verdict}`);
  console.log(`\nindex: ${join(reports, 'README.md')}`);
}

main();
