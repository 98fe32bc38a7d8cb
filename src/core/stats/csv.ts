// summary.csv: one row per variant, then its stages, agents and solo baselines, then scenarios.
// Columns, in order:
//   row_type        variant | stage | agent | solo | scenario
//   variant, scenario, agent, stage   the group's names ('' where not applicable)
//   n               counted runs of the group
//   excluded_warmup, excluded_failed, excluded_cancelled, excluded_invalid   variant rows only
//   decode_tps_weighted   Σ eval_count / Σ eval_duration (tok/s); decode_tps_call_mean   mean of per-call rates
//   per metric M present anywhere (order of SUMMARY_METRICS, then others):
//     M_n, M_mean, M_sd, M_cv, M_median, M_min, M_max, M_p95, M_iqr, M_ci95_lo, M_ci95_hi
// Numbers are written in JavaScript's shortest round-trip form; an empty cell is "not defined / not measured".
import { SUMMARY_METRICS } from './metrics.js';
import type { GroupStats, RunSummary } from './summaryTypes.js';
import { statOf } from './summaryTypes.js';
import type { SummaryStat } from './table.js';

const STAT_FIELDS = ['n', 'mean', 'sd', 'cv', 'median', 'min', 'max', 'p95', 'iqr', 'ci95_lo', 'ci95_hi'] as const;

type Cell = string | number | null | undefined;
interface Row { type: string; variant: string; scenario: string; agent: string; stage: string; group: GroupStats; excluded?: Record<string, number> }

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function statCells(s: SummaryStat | null): Cell[] {
  if (s === null) return STAT_FIELDS.map(() => null);
  return STAT_FIELDS.map((f) => (f === 'ci95_lo' ? s.ci95?.[0] : f === 'ci95_hi' ? s.ci95?.[1] : s[f]));
}

function rowsOf(summary: RunSummary): Row[] {
  const rows: Row[] = [];
  for (const v of summary.variants) {
    const base = { variant: v.name, scenario: v.scenario ?? '', agent: '', stage: '' };
    rows.push({ type: 'variant', ...base, group: v, excluded: v.excluded });
    for (const [stage, g] of Object.entries(v.stages ?? {})) rows.push({ type: 'stage', ...base, stage, group: g });
    for (const [agent, g] of Object.entries(v.agents ?? {})) rows.push({ type: 'agent', ...base, agent, group: g });
    for (const [agent, g] of Object.entries(v.solo ?? {})) rows.push({ type: 'solo', ...base, agent, group: g });
  }
  for (const s of summary.scenarios ?? []) rows.push({ type: 'scenario', variant: '', scenario: s.name, agent: '', stage: '', group: s });
  return rows;
}

export function summaryCsv(summary: RunSummary): string {
  const rows = rowsOf(summary);
  const present = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.group)) if (statOf(r.group, k) !== null) present.add(k);
  const metrics = [...SUMMARY_METRICS.filter((m) => present.has(m)), ...[...present].filter((m) => !SUMMARY_METRICS.includes(m))];
  const header = [
    'row_type', 'variant', 'scenario', 'agent', 'stage', 'n',
    'excluded_warmup', 'excluded_failed', 'excluded_cancelled', 'excluded_invalid',
    'decode_tps_weighted', 'decode_tps_call_mean',
    ...metrics.flatMap((m) => STAT_FIELDS.map((f) => `${m}_${f}`)),
  ];
  const lines = [header.join(',')];
  for (const r of rows) {
    const ex = r.excluded;
    const cells: Cell[] = [
      r.type, r.variant, r.scenario, r.agent, r.stage, r.group.n,
      ex?.warmup, ex?.failed, ex?.cancelled, ex?.invalid,
      r.group.decode_tps_weighted?.value, r.group.decode_tps_call_mean?.value,
      ...metrics.flatMap((m) => statCells(statOf(r.group, m))),
    ];
    lines.push(cells.map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
