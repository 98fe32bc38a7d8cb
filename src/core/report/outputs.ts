// The "Outputs and stops" table: natural stops (valid: maxTokens is a cap), output lengths, low-precision
// decode rates and thinking calls per variant, from summary.variants[].outputs (SUMMARY_DEFINITIONS.outputs).
import { code, fmtNum, table } from './format';
import type { ReportInput } from './model';
import type { OutputStats } from '../stats/outputs';

/** The section's markdown lines, or [] when no variant has ok calls with server fields. */
export function renderOutputs(input: ReportInput): string[] {
  const rows = input.summary.variants.flatMap((v) => {
    // Absent in summaries written before it existed.
    const o = v.outputs as OutputStats | undefined;
    if (!o) return [];
    const t = o.output_tokens;
    return [[
      code(v.name), String(o.calls), `${o.natural_stops} (${fmtNum(o.natural_stop_share * 100)}%)`, String(o.length_stops),
      t ? `${fmtNum(t.min)} / ${fmtNum(t.median)} / ${fmtNum(t.p95)} / ${fmtNum(t.max)}` : '—',
      String(o.low_precision_calls), String(o.thinking_calls),
    ]];
  });
  if (rows.length === 0) return [];
  const min = typeof input.meta?.experiment?.minOutputTokens === 'number' ? `minOutputTokens ${input.meta.experiment.minOutputTokens as number} is set: shorter outputs are invalid (see Validity).` : 'No minOutputTokens is set: a natural stop at any length is a valid output.';
  return [
    '### Outputs and stops', '',
    `How the calls of the counted runs ended. A natural stop (done_reason "stop") is the model ending its answer: valid, because maxTokens is a cap, not a request. ${min} Decode rates of calls with very few tokens are low-precision (decode_low_precision).`, '',
    table(['Variant', 'Calls', 'Natural stops', 'Length stops', 'Output tokens min / median / p95 / max', 'Low-precision decode', 'Thinking calls'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
  ];
}
