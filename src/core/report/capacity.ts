// Report section "Capacity" (PRODUCT.md §11.4): the verdict per variant in words, then one table per
// variant × level. Every number comes from summary.capacity (definitions: capacity/definitions.ts).
import type { CapacityLevelSummary, CapacitySummary, CapacityVariantSummary, Estimate } from '../capacity/summary';
import { isRecord, records, type ReportInput } from './model';
import { serverLogFile } from '../capacity/server';
import { serverCommandText } from './servers';
import { code, escapeInline, fmtCi, fmtNum, table } from './format';

function levelText(level: number | null, unit: string): string {
  return level === null ? '–' : unit === 'requests/s' ? `${fmtNum(level)} requests/s` : `${fmtNum(level)} concurrent`;
}

function est(e: Estimate | null | undefined): string {
  if (!e) return '–';
  return e.ci95 ? `${fmtNum(e.mean)} ${fmtCi(e.ci95)}` : fmtNum(e.mean);
}

/** How names and free text are written: Markdown (the report) or plain text (the dashboard). */
export interface VerdictStyle { code: (s: string) => string; escapeInline: (s: string) => string }
const MARKDOWN: VerdictStyle = { code, escapeInline };
export const PLAIN_TEXT: VerdictStyle = { code: (s) => s, escapeInline: (s) => s };

/** One sentence per variant: "np4 sustains 8 concurrent within the SLO; knee at 4 …". */
export function capacityVerdict(v: CapacityVariantSummary, c: CapacitySummary, style: VerdictStyle = MARKDOWN): string {
  const { code, escapeInline } = style;
  const parts: string[] = [];
  if (c.slo) {
    parts.push(v.max_level_meeting_slo !== null
      ? `${code(v.name)} sustains ${levelText(v.max_level_meeting_slo, c.unit)} within the SLO`
      : `${code(v.name)} meets the SLO at no level measured (${escapeInline(v.max_level_reason ?? 'unknown')})`);
  } else {
    parts.push(`${code(v.name)}: no SLO declared`);
  }
  const best = v.levels.reduce<CapacityLevelSummary | null>((b, l) => (b === null || l.output_tps.mean > b.output_tps.mean ? l : b), null);
  if (best) parts.push(`highest output ${fmtNum(best.output_tps.mean)} tok/s (${fmtNum(best.throughput_rps.mean)} requests/s) at ${levelText(best.level, c.unit)}`);
  parts.push(v.knee !== null ? `knee at ${levelText(v.knee, c.unit)} (more load only adds queueing)` : `no knee (${escapeInline(v.knee_reason ?? 'unknown')})`);
  if (v.stopped_early) parts.push(`sweep stopped early: ${escapeInline(v.stopped_early.detail)}`);
  return `${parts.join('; ')}.`;
}

export function capacityVerdicts(c: CapacitySummary): string[] {
  return c.variants.map((v) => capacityVerdict(v, c));
}

/** "3 (E_BUSY 2, E_TIMEOUT 1); 5 retries in 4 requests" — errors by code, then the retries (definitions: capacity_errors, capacity_retries). */
function errorsCell(l: CapacityLevelSummary): string {
  const codes = Object.entries(l.errors_by_code ?? {}).map(([k, n]) => `${k} ${n}`).join(', ');
  const retries = l.retries ? `; ${l.retries} retries in ${l.retried_requests ?? '?'} requests` : '';
  return escapeInline(`${l.errors}${codes ? ` (${codes})` : ''}${retries}`);
}

function levelRow(l: CapacityLevelSummary): string[] {
  return [
    fmtNum(l.level), String(l.requests), errorsCell(l),
    est(l.throughput_rps), est(l.output_tps), est(l.ttft_ms?.p50), est(l.ttft_ms?.p95), est(l.ttft_ms?.p99), est(l.tpot_ms?.p95), est(l.e2e_ms?.p95),
    est(l.queue_ms?.p95), est(l.server_residual_ms?.p95), est(l.goodput_pct), l.send_lag_ms ? fmtNum(l.send_lag_ms.p99.mean) : '–', String(l.in_flight_max),
    l.meets_slo === null ? '–' : l.meets_slo ? 'yes' : `no: ${escapeInline(l.slo_broken?.join('; ') ?? '')}`,
  ];
}

const HEADER = ['level', 'requests', 'errors', 'req/s', 'output tok/s', 'TTFT p50 ms', 'TTFT p95 ms', 'TTFT p99 ms', 'TPOT p95 ms', 'e2e p95 ms', 'queue p95 ms (estimate, upper bound)', 'residual p95 ms', 'goodput %', 'send lag p99 ms', 'max in flight', 'meets SLO'];

/** Variant → "Managed server: `argv` with env …, port …; its log: outputs/servers/<variant>.log" from the experiment as run. */
function serversOf(input: ReportInput): Map<string, string> {
  const out = new Map<string, string>();
  // A report input built without a meta (a section rendered alone) has no servers to name.
  const meta = input.meta as ReportInput['meta'] | undefined;
  for (const v of records(meta?.experiment.variants)) {
    if (!isRecord(v.server) || typeof v.name !== 'string') continue;
    const s = v.server;
    const port = typeof s.port === 'number' ? `port ${s.port}` : "the load endpoint's port";
    out.set(v.name, `Managed server: ${serverCommandText(s)} on ${port}, started for this variant and stopped after it; its log: ${code(`outputs/servers/${serverLogFile(v.name)}`)} in the TR directory (command, environment and pid per run in runs.jsonl).`);
  }
  return out;
}

export function renderCapacity(input: ReportInput): string | null {
  const c = input.summary.capacity;
  if (!c) return null;
  const out: string[] = [];
  const slo = c.slo ? Object.entries(c.slo).map(([m, b]) => Object.entries(b ?? {}).map(([p, v]) => `${m} ${p} ≤ ${fmtNum(v)}`).join(', ')).join('; ') : null;
  out.push(`Mode: ${c.mode === 'concurrency' ? 'concurrency (closed loop: each level = requests kept in flight)' : 'rate (open loop: each level = arrivals per second)'}. SLO: ${slo ? escapeInline(slo) : 'none declared'}.`, '');
  for (const line of capacityVerdicts(c)) out.push(`- ${line}`);
  out.push('');
  out.push('Values per level: mean over repetitions with its 95% CI in brackets (none with one repetition). Throughput counts completions inside the measured window; percentiles are over the counted requests of each run (definitions: Methodology, capacity_percentiles, throughput_rps, goodput_pct, send_lag_ms, knee). queue is an estimate and an upper bound of the wait for a slot (queue_ms: it subtracts a network estimate and also holds templating and tokenizing); residual is measured by the server itself (server_residual_ms).', '');
  const servers = serversOf(input);
  for (const v of c.variants) {
    out.push(`### ${escapeInline(v.name)}`, '');
    const srv = servers.get(v.name);
    if (srv) out.push(srv, '');
    out.push(table(HEADER, v.levels.map(levelRow), HEADER.map((_, i) => (i === HEADER.length - 1 ? 'l' : 'r'))), '');
  }
  return out.join('\n');
}
