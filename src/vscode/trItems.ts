// How one TR directory reads in the results explorer: label, description, tooltip lines, context
// value. Pure (no vscode import), so the wording is unit-tested.
import { code, escapeInline, trRef } from '../core/report/format';
import type { TrListing } from '../core/store/list';

export interface TrPresentation {
  readonly label: string;
  readonly description: string;
  /** Markdown lines of the tooltip. */
  readonly tooltip: string[];
  /** For `when` clauses of the item's context menu: tr.<status>[.superseded] or tr.corrupt. */
  readonly contextValue: string;
  /** A codicon id. */
  readonly icon: string;
}

const ICONS: Record<string, string> = { complete: 'pass', failed: 'error', cancelled: 'circle-slash', interrupted: 'warning', running: 'sync~spin' };

/** A combining long stroke over every character: reads as struck through wherever the label is drawn. */
export function strike(text: string): string {
  return [...text].map((c) => `${c}\u0336`).join('');
}

/** 2026-11-28 14:03 (UTC, as stored), or '' for a missing date. */
export function shortDate(iso: string | null): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

export function presentTr(t: TrListing): TrPresentation {
  if (t.error !== undefined) {
    return {
      label: t.id,
      description: `unreadable: ${t.error}`,
      tooltip: [`**${t.id}** cannot be read`, '', code(t.dir), '', escapeInline(t.error), '', 'Open its meta.json to repair it, or delete the directory.'],
      contextValue: 'tr.corrupt',
      icon: 'warning',
    };
  }
  const superseded = t.supersededBy !== null;
  const parts = [t.kind, t.status, shortDate(t.createdAt)].filter((p) => p !== '');
  if (t.imported) parts.push('imported');
  const description = superseded ? `superseded by ${t.supersededBy} · ${parts.join(' · ')}` : parts.join(' · ');
  const c = t.counts;
  // The tooltip is markdown and meta.json is text anyone can edit: titles escaped, TR references validated.
  const tooltip = [
    `**${t.id}** — ${escapeInline(t.title)}`,
    '',
    `${escapeInline(t.kind)} experiment, **${escapeInline(t.status)}**${superseded ? `, superseded by ${trRef(t.supersededBy)}` : ''}${t.supersedes ? `, supersedes ${trRef(t.supersedes)}` : ''}`,
    '',
    c ? `runs: ${c.completed} of ${c.planned} done · ${c.warmup} warm-up · ${c.failed} failed · ${c.invalid} invalid${c.cancelled ? ` · ${c.cancelled} cancelled` : ''}` : 'runs: no counts recorded',
    '',
    `started ${shortDate(t.createdAt) || '?'}${t.finishedAt ? `, finished ${shortDate(t.finishedAt)}` : ''} (UTC)`,
    '',
    code(t.dir),
  ];
  return {
    label: superseded ? `${t.id}  ${strike(t.title)}` : `${t.id}  ${t.title}`,
    description,
    tooltip,
    contextValue: `tr.${t.status}${superseded ? '.superseded' : ''}`,
    icon: superseded ? 'history' : (ICONS[t.status] ?? 'file'),
  };
}
