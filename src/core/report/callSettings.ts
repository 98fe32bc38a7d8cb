// Prompt cache, thinking and structured output in the report and the dashboard (PRODUCT.md §11.1): which
// cache mode each variant ran under, what it sent as think / format, and what the raw records say came of
// it — prompt tokens served from the server's cache, calls that reasoned, answers checked as JSON.
import { ALL_DEFINITIONS } from '../metrics/allDefinitions';
import { statOf } from '../stats/summaryTypes';
import type { OutputStats } from '../stats/outputs';
import type { Summary } from '../types';
import { code, escapeInline, fmtNum, table } from './format';
import { records, str, type ReportInput } from './model';
import type { CallSettingRow, CallSettingsData } from './callSettingsTypes';

export type { CallSettingRow, CallSettingsData };

export const CACHE_MODE_TEXT: Record<string, string> = {
  cold: 'cold — each call’s prompt began with its own random prefix (cachePrefix in runs.jsonl), so no call reused another’s cached prompt: every repetition measured a full prefill',
  warm: 'warm — prompts sent as written: the server could reuse a cached prompt prefix (prompt_cached_tokens records how many tokens it did)',
};

const json = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const thinkText = (t: unknown): string => (t === undefined ? 'not sent' : json(t));
const formatText = (f: unknown): string => (f === undefined ? 'not sent' : json(f));

/** The section's data, or null for a TR written before promptCache existed (nothing to say). */
export function callSettingsData(experiment: Record<string, unknown>, summary: Pick<Summary, 'variants'>, recorded: Record<string, string> = {}): CallSettingsData | null {
  if (experiment.promptCache === undefined) return null;
  const declared = new Map(records(experiment.variants).map((v) => [str(v.name), v]));
  const rows = summary.variants.map((v): CallSettingRow => {
    const d = declared.get(v.name) ?? {};
    const o = v.outputs as OutputStats | undefined;
    return {
      variant: v.name, promptCache: str(d.promptCache, 'unknown'), think: thinkText(d.think), format: formatText(d.format),
      cachedTokensMean: statOf(v, 'prompt_cached_tokens')?.mean ?? null,
      thinkingCalls: o ? o.thinking_calls : null,
      ttftMsMean: statOf(v, 'ttft_ms')?.mean ?? null,
      ttftAnswerMsMean: statOf(v, 'ttft_answer_ms')?.mean ?? null,
      jsonChecked: o?.json_checked ?? null,
      jsonValid: o?.json_valid ?? null,
    };
  });
  const names = [
    'ttft_ms', 'ttft_answer_ms', 'prompt_cached_tokens',
    ...(rows.some((r) => r.promptCache === 'cold') ? ['cachePrefix'] : []),
    ...(rows.some((r) => (r.thinkingCalls ?? 0) > 0) ? ['thinking'] : []),
    ...(rows.some((r) => (r.jsonChecked ?? 0) > 0) ? ['json_valid'] : []),
  ];
  const defs = { ...ALL_DEFINITIONS, ...recorded };
  return { rows, definitions: names.map((name) => ({ name, text: defs[name] ?? 'no definition recorded' })) };
}

/** The experiment as recorded; partial report inputs (tests of one section) may come without meta. */
function experimentOf(input: ReportInput): Record<string, unknown> {
  return (input.meta as ReportInput['meta'] | undefined)?.experiment ?? {};
}

/** Names whose definitions the Methodology table must show for the section below. */
export function callSettingMetrics(input: ReportInput): string[] {
  return callSettingsData(experimentOf(input), input.summary)?.definitions.map((d) => d.name) ?? [];
}

/** One setting across the variants: a single value, or value → the variants that used it. */
function perVariant(rows: readonly CallSettingRow[], pick: (r: CallSettingRow) => string): string {
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(pick(r), [...(groups.get(pick(r)) ?? []), r.variant]);
  if (groups.size <= 1) return [...groups.keys()][0] ?? '—';
  return [...groups].map(([shown, names]) => `${shown} (${names.map(code).join(', ')})`).join('; ');
}

/** Protocol rows: the prompt-cache mode, think and format as the experiment sent them. */
export function callSettingRows(input: ReportInput): string[][] {
  const d = callSettingsData(experimentOf(input), input.summary);
  if (!d) return [['Prompt cache', 'not controlled (TR written before promptCache existed: prompts sent as written)']];
  return [
    ['Prompt cache', perVariant(d.rows, (r) => escapeInline(CACHE_MODE_TEXT[r.promptCache] ?? r.promptCache))],
    ['think', perVariant(d.rows, (r) => escapeInline(r.think === 'not sent' ? 'not sent (server default: a thinking model thinks)' : r.think))],
    ['format (structured output)', perVariant(d.rows, (r) => escapeInline(r.format))],
  ];
}

/** Results subsection: per variant, cache mode and cached tokens, thinking, JSON answers. [] for a TR without promptCache. */
export function renderCallSettings(input: ReportInput): string[] {
  const d = callSettingsData(experimentOf(input), input.summary);
  if (!d || d.rows.length === 0) return [];
  const n = (x: number | null): string => (x === null ? '—' : fmtNum(x));
  const rows = d.rows.map((r) => [
    code(r.variant), r.promptCache,
    r.cachedTokensMean === null ? 'unknown (the server sent no prompt_eval_cached_count)' : fmtNum(r.cachedTokensMean),
    r.thinkingCalls === null ? '—' : String(r.thinkingCalls), n(r.ttftMsMean), n(r.ttftAnswerMsMean),
    r.jsonChecked ? `${r.jsonValid ?? 0} of ${r.jsonChecked}` : '—',
  ]);
  return [
    '### Prompt cache, thinking and structured output', '',
    'Per variant: the prompt-cache mode it ran under; prompt_cached_tokens (mean over the counted runs of the per-run mean of prompt tokens the server served from its KV cache); calls that sent reasoning before the answer; ttft_ms (first token of any kind) beside ttft_answer_ms (first answer token, reasoning excluded), both means of per-run means; answers that were valid JSON of the calls that asked for structured output (json_valid). Definitions under Methodology.', '',
    table(['Variant', 'Prompt cache', 'Cached prompt tokens (mean)', 'Thinking calls', 'ttft_ms (mean)', 'ttft_answer_ms (mean)', 'JSON valid'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r']),
    '',
  ];
}
