// Fixed formatting for reports: the same number always prints the same way (reports must be
// byte-identical when regenerated), and text that came from users or models cannot change the
// document's structure (escaped for tables, inline text and quoted blocks).
import { parseTrId } from '../store/trId';

/** A number for tables and prose: precision by magnitude, integers as such, en-US grouping from 1,000, '—' when undefined. */
export function fmtNum(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const once = byMagnitude(x);
  // Rounding can cross a magnitude (999.95 → "1000.0"): format the rounded value again.
  const rounded = Number(once.replace(/,/g, ''));
  return rounded !== 0 && band(Math.abs(rounded)) !== band(Math.abs(x)) ? byMagnitude(rounded) : once;
}

function band(a: number): number {
  return a >= 1000 ? 3 : a >= 100 ? 2 : a >= 1 ? 1 : 0;
}

function byMagnitude(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (Number.isInteger(x)) return String(x);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return String(Number(x.toPrecision(3)));
}

/** "[lo, hi]" or '—'. */
export function fmtCi(ci: readonly [number, number] | null | undefined): string {
  return ci ? `[${fmtNum(ci[0])}, ${fmtNum(ci[1])}]` : '—';
}

/** A fraction 0–1 as a percent with one decimal ("12.5%"). */
export function fmtFraction(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Inline text (titles, names, reasons) safe inside a markdown paragraph or table cell: one line,
 * markdown punctuation backslash-escaped, HTML brackets as entities.
 */
export function escapeInline(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#|~])/g, '\\$1');
}

/**
 * Untrusted multi-line text (model output) as a markdown block quote that renders as plain text:
 * every line quoted, punctuation escaped, so no heading, list, link, image, HTML or code block can
 * start inside it and the quote cannot be closed early.
 */
export function quoteUntrusted(text: string, maxChars: number): { block: string; truncated: boolean } {
  const clean = text.replace(CONTROL, '').replace(/\r\n?/g, '\n');
  const truncated = clean.length > maxChars;
  const body = truncated ? clean.slice(0, maxChars) : clean;
  const lines = body.split('\n').map((line) => {
    const escaped = line
      .replace(/\t/g, '    ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_{}[\]()#+\-.!|~=:"'$^])/g, '\\$1')
      // Leading spaces would make an indented code block; keep the text visible instead.
      .replace(/^ +/, (s) => '&#32;'.repeat(s.length));
    return escaped.length ? `> ${escaped}` : '>';
  });
  return { block: lines.join('\n'), truncated };
}

/** A fenced code block whose fence is longer than any backtick run in the text (it cannot be closed early). */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** A markdown table; cells are used as given (escape user text before). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/** `code` span for identifiers (metric names, ids) that may contain underscores. */
/**
 * A TR reference read from meta.json (supersedes, supersededBy) for markdown: the id itself when it is a
 * TR id, otherwise escaped text — a hand-edited meta.json must not inject links or command URIs.
 */
export function trRef(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return parseTrId(text) ? text : escapeInline(text);
}

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

/** A compact, stable rendering of an options object: {} → "(none sent)". */
export function fmtOptions(options: Record<string, unknown> | undefined): string {
  if (!options || Object.keys(options).length === 0) return '(none sent)';
  return Object.entries(options).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}
