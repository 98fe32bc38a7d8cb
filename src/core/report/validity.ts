// Validity (what was excluded and why), Reproducibility (the experiment as run, its hash, the exact
// command) and the appendices (configuration tables; model output quoted as untrusted text).
import { statOf } from '../stats/summaryTypes';
import { code, codeBlock, escapeInline, fmtOptions, quoteUntrusted, table } from './format';
import { isRecord, records, str, type ReportInput } from './model';

export const MODEL_OUTPUT_EXCERPT_CHARS = 1500;

export function renderValidity(input: ReportInput): string {
  const c = input.summary.counts;
  const coldKept = input.meta.experiment?.coldRuns === 'include';
  const out: string[] = [
    'Warm-ups, failed, invalid and cancelled runs stay in runs.jsonl and are counted here; they never enter the statistics.',
    `A measured run in which a call paid for an unplanned model load (load_ms ≥ coldThresholdMs) is cold: ${coldKept ? 'kept in the statistics (coldRuns "include") and listed below' : 'left out of the statistics (coldRuns "exclude", the default), counted and listed'}.`,
    '',
    table(['Recorded', 'Counted', 'Warm-up', 'Solo baseline', 'Failed', 'Invalid', 'Cancelled', 'Cold (excluded)'], [[c.runs, c.counted, c.warmup, c.solo, c.failed, c.invalid, c.cancelled, c.cold ?? 0].map(String)]),
    '',
  ];
  const { excluded, failedWarmups } = input.facts;
  if (excluded.total) {
    out.push('#### Excluded runs by reason', '', table(['Reason', 'Runs'], excluded.byReason.map(([k, n]) => [escapeInline(k), String(n)])), '');
    out.push('#### Excluded runs', '', table(['Run', 'Variant', 'Status', 'Reason'], excluded.listed.map((r) => [String(r.run), code(r.variant), r.status, escapeInline(r.reason)])), '');
    if (excluded.total > excluded.listed.length) out.push(`… and ${excluded.total - excluded.listed.length} more (see runs.jsonl).`, '');
  } else {
    out.push('No measured run failed, was invalid or was cancelled.', '');
  }
  const retries = input.summary.retries;
  if (retries && retries.calls > 0) {
    const codes = Object.entries(retries.byCode).map(([k, n]) => `${n} ${code(k)}`).join(', ');
    out.push(`**${retries.calls} call(s) of the measured runs were retried** (${retries.attempts} failed attempt(s)${codes ? `: ${codes}` : ''}): the server refused work during the measurement, a sign of saturation. The failed attempts are kept in each call's \`attempts\` in runs.jsonl.`, '');
  }
  if (failedWarmups) out.push(`${failedWarmups} warm-up run(s) did not finish ok (warm-ups are never counted).`, '');
  const outliers = input.summary.variants.flatMap((v) => ['decode_tps', 'ttft_ms', 'wall_ms'].flatMap((m) => {
    const s = statOf(v, m);
    return s && s.outliers ? [[code(v.name), code(m), String(s.outliers), s.outlierRuns.join(', ')]] : [];
  }));
  if (outliers.length) out.push('#### Outliers (Tukey fences, flagged and kept)', '', table(['Variant', 'Metric', 'Outliers', 'Runs'], outliers), '');
  if (input.corrupt.length) {
    out.push(`**runs.jsonl had ${input.corrupt.length} unreadable line(s), skipped:** ${input.corrupt.slice(0, 10).map((l) => `line ${l.line} (${escapeInline(l.error)})`).join('; ')}.`, '');
  }
  for (const note of input.meta.notes ?? []) out.push(`- ${escapeInline(note)}`);
  if (input.meta.notes?.length) out.push('');
  return out.join('\n');
}

export function renderReproducibility(input: ReportInput): string {
  const { meta } = input;
  const { hash, ...experiment } = meta.experiment;
  const command = meta.command ?? (meta.imported ? `chimeraforge import ${meta.imported.from}` : null);
  const out = [
    command ? 'Re-run this experiment with:' : 'The command that ran this experiment was not recorded; re-run the experiment file below with `chimeraforge run`.',
    '',
  ];
  if (command) out.push(codeBlock(command, 'sh'), '');
  out.push(`Experiment hash (of the normalized experiment below): ${code(hash)}. Regenerate this report from the raw runs with ${code(`chimeraforge report ${meta.id}`)}.`, '');
  out.push('The experiment as run (normalized, defaults filled in):', '', codeBlock(JSON.stringify(experiment, null, 2), 'json'), '');
  return out.join('\n');
}

export function renderConfigurationAppendix(input: ReportInput): string {
  const x = input.meta.experiment;
  const out: string[] = [];
  const variants = records(x.variants);
  out.push('#### Variants', '', table(['Variant', 'Model', 'Source', 'Options sent'], variants.map((v) => [code(str(v.name)), code(str(v.model, str(x.model))), escapeInline(str(v.source, '—')), escapeInline(fmtOptions(isRecord(v.options) ? v.options : {}))])), '');
  const agents = records(x.agents);
  if (agents.length) {
    out.push('#### Agents', '', table(['Agent', 'Endpoint', 'Model', 'Options sent'], agents.map((a) => [code(str(a.name)), code(str(a.endpoint)), code(str(a.model, str(x.model))), escapeInline(fmtOptions(isRecord(a.options) ? a.options : {}))])), '');
  }
  const endpoints = isRecord(x.endpoints) ? Object.entries(x.endpoints) : [];
  if (endpoints.length) out.push('#### Endpoints', '', table(['Name', 'URL'], endpoints.map(([k, v]) => [code(k), escapeInline(String(v))])), '');
  const impls = records(x.implementations);
  if (impls.length) out.push('#### Implementations', '', table(['Name', 'argv'], impls.map((i) => [code(str(i.name)), code(Array.isArray(i.argv) ? i.argv.map(String).join(' ') : '')])), '');
  return out.join('\n');
}

export function renderModelOutput(input: ReportInput): string | null {
  const m = input.modelOutput;
  if (!m) return null;
  const { block, truncated } = quoteUntrusted(m.text, MODEL_OUTPUT_EXCERPT_CHARS);
  return [
    `**MODEL OUTPUT — generated text, not written or checked by the harness.** From run ${m.run} (variant ${code(m.variant)}${m.agent ? `, agent ${code(m.agent)}` : ''}, stage ${code(m.stage)}), file ${code(m.file)}${truncated ? `; first ${MODEL_OUTPUT_EXCERPT_CHARS} characters` : ''}. Shown as quoted plain text: its markup is not rendered.`,
    '',
    block,
    '',
  ].join('\n');
}
