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

export const RESULTS_SCHEMA = 2;

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

/** One goal figure under its flat key (latest.json `headline`), with what it is measured beside. */
export interface HeadlineFigure {
  /** Median over repetitions (or the single measured value); null when not measured (`reason` says why). */
  value: number | null;
  unit: string;
  spread: [number, number] | null;
  /** The goal; for a relative goal its value is already the bound measured in this run (`basis` says of what). */
  goal: (Goal & { basis?: string }) | null;
  met: boolean | null;
  /** The floor measured in the same run (the bare reader, the bare fetch loop). */
  beside?: { what: string; value: number | null };
  reason?: string;
}

export const HEADLINE_KEYS = [
  'fidelity.ttft_abs_err_ms_p99', 'fidelity.harness_ttft_err_ms_p99_8', 'overhead.cpu_ratio_vs_bare', 'throughput.max_tokens_per_s',
  'skew.p99_ms_n16', 'activation_ms', 'bundle_bytes.extension', 'dashboard.render_10k_ms', 'scale.summary_1m_runs_ms',
  'scale.list_1000_trs_ms', 'loadgen.send_lag_ms_p99_64',
] as const;
export type HeadlineKey = (typeof HEADLINE_KEYS)[number];

export interface BenchResults {
  schema: number;
  command: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  quick: boolean;
  machine: MachineInfo;
  /** The issue's goal figures under flat keys. */
  headline: Record<HeadlineKey, HeadlineFigure>;
  /** Every figure as a row (the markdown table), context rows included. */
  table: HeadlineRow[];
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

type Measured = { median: number; min: number; max: number } | number | undefined;

function figure(unit: string, goal: HeadlineFigure['goal'], v: Measured, notMeasured: string, beside?: HeadlineFigure['beside']): HeadlineFigure {
  const r = row('', unit, goal, v);
  return { value: r.value, unit, spread: r.spread, goal, met: r.met, ...(beside ? { beside } : {}), ...(r.value === null ? { reason: notMeasured } : {}) };
}

const median = (v: Measured): number | null => (v === undefined ? null : typeof v === 'number' ? v : v.median);

/**
 * The goals as the issue restates them: the harness's own share measured beside the bare floor in the
 * same run (TTFT tail, CPU, start skew, load generator send lag), absolute bounds elsewhere.
 */
export function headlineFiguresOf(f: Figures): Record<HeadlineKey, HeadlineFigure> {
  const fid8 = f.fidelity?.streams['8'];
  const missing = (name: FigureName): string => `figure ${name} was not measured in this run (see errors)`;
  const bareSkew = median(f.skew?.bare_p99_ms['16']);
  const bareLag = median(f.loadgen?.bare_send_lag_ms_p99_64);
  return {
    'fidelity.ttft_abs_err_ms_p99': figure('ms', null, fid8?.runner.ttft_abs_err_ms_p99, missing('fidelity'), { what: 'bare reader, same schedule and repetitions (8 streams)', value: median(fid8?.bare.ttft_abs_err_ms_p99) }),
    'fidelity.harness_ttft_err_ms_p99_8': figure('ms', { op: '<=', value: 0.5 }, fid8?.harness_ttft_err_ms_p99, missing('fidelity')),
    'overhead.cpu_ratio_vs_bare': figure('×', { op: '<=', value: 1.1 }, f.overhead?.cpu_ratio_vs_bare, missing('overhead')),
    'throughput.max_tokens_per_s': figure('tok/s', { op: '>=', value: 100_000 }, f.throughput?.max_tokens_per_s, missing('throughput'), { what: 'bare reader ramp', value: f.throughput?.bare_max_tokens_per_s ?? null }),
    'skew.p99_ms_n16': figure('ms', bareSkew === null ? null : { op: '<=', value: 1.5 * bareSkew, basis: '1.5 × the bare fetch() loop at N=16 in this run' }, f.skew?.p99_ms_n16, missing('skew'), { what: 'bare fetch() loop, N=16', value: bareSkew }),
    activation_ms: figure('ms', { op: '<=', value: 50 }, f.activation?.activation_ms, missing('activation')),
    'bundle_bytes.extension': figure('bytes', { op: '<=', value: 1_000_000 }, f.bundle_bytes?.extension, missing('bundle_bytes')),
    'dashboard.render_10k_ms': figure('ms', { op: '<=', value: 250 }, f.dashboard?.render_10k_ms, missing('dashboard')),
    'scale.summary_1m_runs_ms': figure('ms', { op: '<=', value: 3000 }, f.scale?.summary_1m_runs_ms, missing('scale'), { what: 'bare split + JSON.parse of every line, same repetitions', value: median(f.scale?.bare_parse_ms) }),
    'scale.list_1000_trs_ms': figure('ms', { op: '<=', value: 1000 }, f.scale?.list_1000_trs_ms, missing('scale')),
    // The issue sets no absolute bound: the load generator is held to the same rule as the agents' start skew.
    'loadgen.send_lag_ms_p99_64': figure('ms', bareLag === null ? null : { op: '<=', value: 1.5 * bareLag, basis: '1.5 × a bare fetch loop at 64 in flight in this run' }, f.loadgen?.send_lag_ms_p99_64, missing('loadgen'), { what: 'bare fetch loop, 64 in flight', value: bareLag }),
  };
}

/** The issue's figures, each against its goal (null goal: context only). */
export function headlineOf(f: Figures): HeadlineRow[] {
  const le = (value: number): Goal => ({ op: '<=', value });
  const ge = (value: number): Goal => ({ op: '>=', value });
  const fid = (n: string) => f.fidelity?.streams[n];
  return [
    // Absolute TTFT errors include the engine's and loopback's: the goal is on the harness's share (headline).
    row('fidelity.ttft_abs_err_ms_p99 (1 stream)', 'ms', null, fid('1')?.runner.ttft_abs_err_ms_p99),
    row('fidelity.ttft_abs_err_ms_p99 (8 streams)', 'ms', null, fid('8')?.runner.ttft_abs_err_ms_p99),
    row('fidelity.tps_rel_err_p99 (1 stream)', 'fraction', le(0.005), fid('1')?.runner.tps_rel_err_p99),
    row('fidelity.tps_rel_err_p99 (8 streams)', 'fraction', le(0.005), fid('8')?.runner.tps_rel_err_p99),
    row('  bare reader ttft_abs_err_ms_p99 (1 stream)', 'ms', null, fid('1')?.bare.ttft_abs_err_ms_p99),
    row('  bare reader ttft_abs_err_ms_p99 (8 streams)', 'ms', null, fid('8')?.bare.ttft_abs_err_ms_p99),
    row('  bare reader tps_rel_err_p99 (1 stream)', 'fraction', null, fid('1')?.bare.tps_rel_err_p99),
    row('  bare reader tps_rel_err_p99 (8 streams)', 'fraction', null, fid('8')?.bare.tps_rel_err_p99),
    row('  harness own TTFT error, runner − bare (1 stream)', 'ms', null, fid('1')?.harness_ttft_err_ms),
    row('  harness own TTFT error, runner − bare (8 streams)', 'ms', null, fid('8')?.harness_ttft_err_ms),
    row('  harness own TTFT |error| p99, runner − bare (8 streams)', 'ms', le(0.5), fid('8')?.harness_ttft_err_ms_p99),
    row('overhead.cpu_ratio_vs_bare', '×', le(1.1), f.overhead?.cpu_ratio_vs_bare),
    row('throughput.max_tokens_per_s', 'tok/s', ge(100_000), f.throughput?.max_tokens_per_s),
    row('  bare reader max_tokens_per_s', 'tok/s', null, f.throughput?.bare_max_tokens_per_s),
    row('skew.p99_ms_n16', 'ms', null, f.skew?.p99_ms_n16), // goal: ≤ 1.5 × the bare loop below (headline)
    row('  bare fetch() loop send spread p99, N=16', 'ms', null, f.skew?.bare_p99_ms['16']),
    row('activation_ms', 'ms', le(50), f.activation?.activation_ms),
    row('bundle_bytes.extension (shipped, minified)', 'bytes', le(1_000_000), f.bundle_bytes?.extension),
    row('bundle_bytes.webview (shipped, minified)', 'bytes', null, f.bundle_bytes?.webview),
    row('bundle_bytes.cli (shipped, minified)', 'bytes', null, f.bundle_bytes?.cli),
    row('  bundle_bytes.dev.extension (node esbuild.mjs)', 'bytes', null, f.bundle_bytes?.dev.extension),
    row('dashboard.render_10k_ms', 'ms', le(250), f.dashboard?.render_10k_ms),
    row('scale.summary_1m_runs_ms', 'ms', le(3000), f.scale?.summary_1m_runs_ms),
    row('  bare split + JSON.parse of the same runs.jsonl', 'ms', null, f.scale?.bare_parse_ms),
    row('  summary ÷ bare split + parse (same repetition)', '×', null, f.scale?.summary_ratio_vs_bare_parse),
    row('scale.tr_view_1m_runs_ms (dashboard TR view, streamed)', 'ms', null, f.scale?.tr_view_1m_runs_ms),
    row('scale.list_1000_trs_ms', 'ms', le(1000), f.scale?.list_1000_trs_ms),
    row('loadgen.send_lag_ms_p99_16 (closed loop)', 'ms', null, f.loadgen?.send_lag_ms_p99_16),
    row('  bare fetch loop send lag p99, 16 in flight', 'ms', null, f.loadgen?.bare_send_lag_ms_p99_16),
    row('loadgen.send_lag_ms_p99_64 (closed loop)', 'ms', null, f.loadgen?.send_lag_ms_p99_64), // goal: ≤ 1.5 × the bare loop below (headline)
    row('  bare fetch loop send lag p99, 64 in flight', 'ms', null, f.loadgen?.bare_send_lag_ms_p99_64),
    row('loadgen.send_lag_ms_p99_rate200 (open loop, 200 req/s)', 'ms', null, f.loadgen?.send_lag_ms_p99_rate200),
    row('  bare setTimeout loop send lag p99, 200 req/s', 'ms', null, f.loadgen?.bare_send_lag_ms_p99_rate200),
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
    '## Goals (latest.json `headline`)',
    '',
    '| key | value | beside it (same run) | goal | met |',
    '|---|---:|---|---|---|',
    ...HEADLINE_KEYS.map((k) => {
      const h = r.headline[k];
      const v = h.value === null ? `— (${h.reason ?? 'not measured'})` : `${fmt(h.value, h.unit)}${h.unit === 'fraction' || h.unit === 'bytes' ? '' : ` ${h.unit}`}`;
      const beside = h.beside ? `${h.beside.what}: ${fmt(h.beside.value, h.unit)}` : '';
      const goal = h.goal ? `${fmtGoal(h.goal, h.unit)}${h.goal.basis ? ` (${h.goal.basis})` : ''}` : '';
      return `| \`${k}\` | ${v} | ${beside} | ${goal} | ${h.met === null ? '' : h.met ? 'yes' : '**no**'} |`;
    }),
    '',
    '## Every figure',
    '',
    '| figure | value | spread | goal | met |',
    '|---|---:|---|---|---|',
    ...r.table.map((h) => `| ${h.name} | ${fmt(h.value, h.unit)}${h.unit === 'fraction' || h.unit === 'bytes' ? '' : ` ${h.unit}`} | ${h.spread ? `[${fmt(h.spread[0], h.unit)} – ${fmt(h.spread[1], h.unit)}]` : ''} | ${fmtGoal(h.goal, h.unit)} | ${h.met === null ? '' : h.met ? 'yes' : '**no**'} |`),
  ];
  const errs = Object.entries(r.errors);
  if (errs.length) lines.push('', '## Not measured', '', ...errs.map(([k, v]) => `- ${k}: ${v}`));
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}
