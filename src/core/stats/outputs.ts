// How calls ended and how long their outputs were, per variant (SUMMARY_DEFINITIONS.outputs): natural
// stops are valid (maxTokens is a cap), so they are counted and shown instead of being made invalid.
import type { CallRecord } from '../types.js';
import { NumberBuffer } from './buffer.js';
import { tailPercentiles } from './describe.js';

export type OutputStats = {
  /** ok calls with server fields in the counted runs. */
  calls: number;
  /** done_reason "stop": the model ended its answer (EOS or a stop string). */
  natural_stops: number;
  /** natural_stops / calls. */
  natural_stop_share: number;
  /** done_reason "length": the num_predict cap (or the context) ended the output. */
  length_stops: number;
  /** Calls whose decode rates are low-precision (decode_low_precision: too few tokens). */
  low_precision_calls: number;
  /** Calls that sent reasoning (thinking text) before or instead of an answer. */
  thinking_calls: number;
  /** Calls that asked for structured output (format): their answers were checked (json_valid). Absent in summaries written before it existed. */
  json_checked?: number;
  /** Of json_checked, answers that parsed (and matched the schema when one was given). */
  json_valid?: number;
  /** Generated tokens per call (eval_count): distribution over the calls. */
  output_tokens: { n: number; min: number; median: number; p95: number; max: number } | null;
};

export class OutputTally {
  private calls = 0;
  private natural = 0;
  private length = 0;
  private lowPrecision = 0;
  private thinking = 0;
  private jsonChecked = 0;
  private jsonValid = 0;
  private readonly tokens = new NumberBuffer();

  add(c: CallRecord): void {
    if (c.status !== 'ok' || !c.server) return;
    this.calls++;
    if (c.server.done_reason === 'stop') this.natural++;
    else if (c.server.done_reason === 'length') this.length++;
    if (c.metrics?.decode_low_precision === true) this.lowPrecision++;
    if ((c.thinkingChars ?? 0) > 0) this.thinking++;
    if (c.json_valid !== undefined) {
      this.jsonChecked++;
      if (c.json_valid) this.jsonValid++;
    }
    this.tokens.push(c.server.eval_count);
  }

  stats(): OutputStats | null {
    if (this.calls === 0) return null;
    const t = tailPercentiles(this.tokens.view());
    let min = Number.POSITIVE_INFINITY;
    for (const x of this.tokens.view()) min = Math.min(min, x);
    return {
      calls: this.calls,
      natural_stops: this.natural,
      natural_stop_share: this.natural / this.calls,
      length_stops: this.length,
      low_precision_calls: this.lowPrecision,
      thinking_calls: this.thinking,
      json_checked: this.jsonChecked,
      json_valid: this.jsonValid,
      output_tokens: t && { n: t.n, min, median: t.median, p95: t.p95, max: t.max },
    };
  }
}
