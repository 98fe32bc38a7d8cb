// The results file: shape, headline figures against their goals, and the short markdown summary.
// Pure functions of the measured figures (unit-tested); run.ts does the measuring and the writing.
import type { FidelityResult } from '../fidelity';
import type { OverheadResult } from '../overhead';
import type { ThroughputResult } from '../throughput';
import type { SkewResult } from '../skew';
import type { ActivationResult } from '../activation';
import type { BundleBytes } from '../bundles';
import type { DashboardResult } from '../dashboard';
import type { ScaleResult } from '../scale';
import type { EngineResult } from '../engine';
import type { LoadgenResult } from '../loadgen';
import type { MachineInfo } from './machine';

export const RESULTS_SCHEMA = 1;

export interface Figures {
  fidelity?: FidelityResult;
  overhead?: OverheadResult;
  throughput?: ThroughputResult;
  skew?: SkewResult;
  activation?: ActivationResult;
  bundle_bytes?: BundleBytes;
  dashboard?: DashboardResult;
  scale?: ScaleResult;
  engine?: EngineResult;
  /** The capacity kind's load generator: send lag (loadgen.send_lag_ms_p99_64 …) beside a bare fetch loop. */
  loadgen?: LoadgenResult;
}

export type FigureName = keyof Figures;
export const FIGURE_NAMES: readonly FigureName[] = ['bundle_bytes', 'fidelity', 'overhead', 'throughput', 'skew', 'loadgen', 'scale', 'dashboard', 'activation', 'engine'];

export interface Goal { op: '<=' | '>='; value: number }

export interface HeadlineRow {
  name: string;
  /** Median over repetitions (or the single measured value); null when the figure did not run. */
  value: number | null;
  unit: string;
  spread: [number, number] | null;
  goal: Goal | null;
  met: boolean | null;
}

export interface BenchResults {
  schema: number;
  command: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  quick: boolean;
  machine: MachineInfo;
  headline: HeadlineRow[];
  figures: Figures;
  /** Figures that could not be measured, with why. */
  errors: Partial<Record<FigureName, string>>;
  notes: string[];
}

function row(name: string, unit: string, goal: Goal | null, v: { median: number; min: number; max: number } | number | undefined): HeadlineRow {
  if (v === undefined) return { name, value: null, unit, spread: null, goal, met: null };
  const value = typeof v === 'number' ? v : v.median;
  const spread: [number, number] | null = typeof v === 'number' ? null : [v.min, v.max];
  const met = goal === null ? null : goal.op === '<=' ? value <= goal.value : value >= goal.value;
  return { name, value, unit, spread, goal, met };
}

/** The issue's figures, each against its goal (null goal: context only). */
export function headlineOf(f: Figures): HeadlineRow[] {
  const le = (value: number): Goal => ({ op: '<=', value });
  const ge = (value: number): Goal => ({ op: '>=', value });
  const fid = (n: string) => f.fidelity?.streams[n];
  return [
    row('fidelity.ttft_abs_err_ms_p99 (1 stream)', 'ms', le(1), fid('1')?.runner.ttft_abs_err_ms_p99),
    row('fidelity.ttft_abs_err_ms_p99 (8 streams)', 'ms', le(1), fid('8')?.runner.ttft_abs_err_ms_p99),
    row('fidelity.tps_rel_err_p99 (1 stream)', 'fraction', le(0.005), fid('1')?.runner.tps_rel_err_p99),
    row('fidelity.tps_rel_err_p99 (8 streams)', 'fraction', le(0.005), fid('8')?.runner.tps_rel_err_p99),
    row('  bare reader ttft_abs_err_ms_p99 (1 stream)', 'ms', null, fid('1')?.bare.ttft_abs_err_ms_p99),
    row('  bare reader ttft_abs_err_ms_p99 (8 streams)', 'ms', null, fid('8')?.bare.ttft_abs_err_ms_p99),
    row('  bare reader tps_rel_err_p99 (1 stream)', 'fraction', null, fid('1')?.bare.tps_rel_err_p99),
    row('  bare reader tps_rel_err_p99 (8 streams)', 'fraction', null, fid('8')?.bare.tps_rel_err_p99),
    row('  harness own TTFT error, runner − bare (1 stream)', 'ms', null, fid('1')?.harness_ttft_err_ms),
    row('  harness own TTFT error, runner − bare (8 streams)', 'ms', null, fid('8')?.harness_ttft_err_ms),
    row('overhead.cpu_ratio_vs_bare', '×', le(1.15), f.overhead?.cpu_ratio_vs_bare),
    row('throughput.max_tokens_per_s', 'tok/s', ge(100_000), f.throughput?.max_tokens_per_s),
    row('  bare reader max_tokens_per_s', 'tok/s', null, f.throughput?.bare_max_tokens_per_s),
    row('skew.p99_ms_n16', 'ms', le(1), f.skew?.p99_ms_n16),
    row('  bare fetch() loop send spread p99, N=16', 'ms', null, f.skew?.bare_p99_ms['16']),
    row('activation_ms', 'ms', le(50), f.activation?.activation_ms),
    row('bundle_bytes.extension (shipped, minified)', 'bytes', le(1_000_000), f.bundle_bytes?.extension),
    row('bundle_bytes.webview (shipped, minified)', 'bytes', null, f.bundle_bytes?.webview),
    row('bundle_bytes.cli (shipped, minified)', 'bytes', null, f.bundle_bytes?.cli),
    row('  bundle_bytes.dev.extension (node esbuild.mjs)', 'bytes', null, f.bundle_bytes?.dev.extension),
    row('dashboard.render_10k_ms', 'ms', le(250), f.dashboard?.render_10k_ms),
    row('scale.summary_1m_runs_ms', 'ms', le(3000), f.scale?.summary_1m_runs_ms),
    row('scale.list_1000_trs_ms', 'ms', le(1000), f.scale?.list_1000_trs_ms),
    row('engine.tokens_per_s (tiny)', 'tok/s', null, f.engine?.tiny.server_tokens_per_s),
    row('engine.tokens_per_s (mid)', 'tok/s', null, f.engine?.mid.server_tokens_per_s),
  ];
}

function fmt(x: number | null, unit: string): string {
  if (x === null) return '—';
  if (unit === 'bytes') return x.toLocaleString('en-US');
  if (unit === 'fraction') return `${(x * 100).toPrecision(3)}%`;
  const a = Math.abs(x);
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 10 ? x.toFixed(1) : x.toFixed(3);
}

function fmtGoal(g: Goal | null, unit: string): string {
  return g ? `${g.op === '<=' ? '≤' : '≥'} ${fmt(g.value, unit)}` : '';
}

export function markdownOf(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `# Chimeraforge benchmarks — ${r.startedAt.slice(0, 10)}`,
    '',
    `\`${r.command}\`${r.quick ? ' (--quick: fewer repetitions)' : ''}, ${r.durationS.toFixed(0)} s. Machine: ${m.cpuModel}, ${m.cores} cores, `
      + `${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${m.node}, ${m.os}; load average ${m.loadAvgStart.join(' / ')} at start, `
      + `${(m.loadAvgEnd ?? []).join(' / ')} at the end.`,
    '',
    'Values are medians over repetitions; [min – max] is their spread. Timing on a shared machine is noisy: compare the',
    'side-by-side rows (runner vs bare reader) of one run, not numbers across machines.',
    '',
    '| figure | value | spread | goal | met |',
    '|---|---:|---|---|---|',
    ...r.headline.map((h) => `| ${h.name} | ${fmt(h.value, h.unit)}${h.unit === 'fraction' || h.unit === 'bytes' ? '' : ` ${h.unit}`} | ${h.spread ? `[${fmt(h.spread[0], h.unit)} – ${fmt(h.spread[1], h.unit)}]` : ''} | ${fmtGoal(h.goal, h.unit)} | ${h.met === null ? '' : h.met ? 'yes' : '**no**'} |`),
  ];
  const errs = Object.entries(r.errors);
  if (errs.length) lines.push('', '## Not measured', '', ...errs.map(([k, v]) => `- ${k}: ${v}`));
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}
