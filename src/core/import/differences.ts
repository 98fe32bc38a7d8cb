// "Differences from the original" as a markdown section, from meta.differences (so any report writer can
// include it): first what disagrees, then what was reproduced.
import type { Meta } from '../types';
import type { Difference } from './types';

function decimals(v: number): number {
  const t = String(v);
  const i = t.indexOf('.');
  return i < 0 ? 0 : t.length - i - 1;
}

/** Published values as written; ours with one decimal more than the value they are set against (2–4). */
function fmt(v: number | string | null, unit: string | undefined, against: number | string | null): string {
  if (v === null) return 'not derivable';
  if (typeof v === 'string') return v;
  const places = typeof against === 'number' ? Math.min(4, Math.max(2, decimals(against) + 1)) : 4;
  const s = v === against || Number.isInteger(v) ? String(v) : v.toFixed(places);
  return unit ? `${s} ${unit}` : s;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(rows: Difference[]): string[] {
  const out = ['| What | Original | Recomputed from raw runs | Source |', '|---|---|---|---|'];
  for (const d of rows) {
    const what = d.note ? `${d.what} — ${d.note}` : d.what;
    out.push(`| ${cell(what)} | ${cell(fmt(d.original, d.unit, d.original))} | ${cell(fmt(d.recomputed, d.unit, d.original))} | ${cell(d.source)} |`);
  }
  return out;
}

/** The section body (no heading), or '' when the TR has no differences recorded: for report writers with their own headings. */
export function renderDifferencesBody(meta: Pick<Meta, 'differences' | 'imported'>): string {
  const rows = meta.differences ?? [];
  if (rows.length === 0) return '';
  const bad = rows.filter((d) => !d.agrees);
  const good = rows.filter((d) => d.agrees);
  const lines: string[] = [];
  const from = meta.imported ? ` (imported from \`${meta.imported.layout}\` data${meta.imported.commit ? ` at commit ${meta.imported.commit}` : ''})` : '';
  lines.push(`Every number below was recomputed from the raw per-run files${from} and set beside what the original program stored or its reports published.`, '');
  if (bad.length) lines.push(`### Where they differ (${bad.length})`, '', ...table(bad), '');
  else lines.push('No disagreement was found.', '');
  if (good.length) lines.push(`### Reproduced (${good.length})`, '', ...table(good), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The whole section, "## Differences from the original" included ('' when there is nothing to show). */
export function renderDifferences(meta: Pick<Meta, 'differences' | 'imported'>): string {
  const body = renderDifferencesBody(meta);
  return body ? `## Differences from the original\n\n${body}` : '';
}
