// The top of a report: title, PARTIAL banner, metadata block (date, environment, endpoints, models,
// runs) and the Executive Summary with its key findings.
import type { ShownStatus } from '../types';
import { keyFindings } from './findings';
import { gitText } from './methodology';
import { code, escapeInline, fmtNum, trRef } from './format';
import type { ReportInput } from './model';

/** The report's title line: "Technical Report 116: <title>" (TR111_v2 → "111 v2"). */
export function reportTitle(id: string, title: string): string {
  return `Technical Report ${id.replace(/^TR/, '').replace('_v', ' v')}: ${escapeInline(title)}`;
}

/** A banner for anything short of a complete run; empty for complete TRs. */
export function statusBanner(status: ShownStatus, recorded: number, planned: number): string {
  const runs = `${recorded} of ${planned} planned runs were recorded`;
  switch (status) {
    case 'interrupted':
      return `> **PARTIAL — interrupted.** The process writing this TR stopped before the experiment finished (meta.json still says \`running\`, its writer is gone): ${runs}. Everything below covers only those runs.`;
    case 'running':
      return `> **PARTIAL — still running.** This report was generated while the experiment was running: ${runs} so far.`;
    case 'cancelled':
      return `> **PARTIAL — cancelled.** The experiment was cancelled: ${runs}. Everything below covers only those runs.`;
    case 'failed':
      return `> **FAILED runs.** Some measured runs failed or no run was valid: ${runs}. See Validity.`;
    default:
      return '';
  }
}

function gib(bytes: number): string {
  return `${fmtNum(bytes / 2 ** 30)} GiB`;
}

function environmentLines(input: ReportInput): string[] {
  const env = input.meta.environment;
  const lines: string[] = [];
  if (env?.host) {
    const h = env.host;
    // Imported TRs know little about their host: unknown facts are said to be unknown, not printed as 0.
    const count = typeof h.cpus === 'number' && h.cpus > 0 ? `${h.cpus}` : null;
    const cpu = h.cpuModel ? `${count ? `${count} × ` : ''}${escapeInline(h.cpuModel)}` : count ? `${count} CPUs` : 'CPUs unknown';
    const ram = typeof h.memoryBytes === 'number' && h.memoryBytes > 0 ? `${gib(h.memoryBytes)} RAM` : 'RAM unknown';
    lines.push(`**Test Environment:** ${escapeInline(String(h.os ?? 'unknown OS'))} ${escapeInline(String(h.arch ?? ''))}, ${cpu}, ${ram}, Node ${escapeInline(String(h.node ?? 'unknown'))}`);
  }
  const gpus = env?.gpus ?? [];
  lines.push(`**GPUs:** ${gpus.length ? gpus.map((g) => `${escapeInline(g.name)}${g.memoryTotalMb ? ` (${fmtNum(g.memoryTotalMb)} MiB)` : ''}${g.driver ? `, driver ${escapeInline(g.driver)}` : ''}`).join('; ') : 'none detected (nvidia-smi absent or no GPU)'}`);
  for (const e of env?.endpoints ?? []) {
    lines.push(`**Endpoint ${code(e.name)}:** ${escapeInline(e.url)} — server version ${e.version ? escapeInline(e.version) : 'unknown'}${e.error ? ` (error: ${escapeInline(e.error)})` : ''}`);
    for (const m of e.models ?? []) {
      const facts = [
        m.digest ? `digest ${code(m.digest.replace(/^sha256:/, '').slice(0, 12))}` : 'digest unknown',
        m.parameter_size ? `${escapeInline(m.parameter_size)} parameters` : null,
        m.quantization_level ? `quantization ${escapeInline(m.quantization_level)}` : null,
        m.family ? `family ${escapeInline(m.family)}` : null,
      ].filter((x): x is string => x !== null);
      lines.push(`**Model:** ${code(m.name)} on ${code(e.name)} (${facts.join(', ')})`);
    }
  }
  if (env?.tool) lines.push(`**Tool:** ${escapeInline(env.tool.name)} ${escapeInline(env.tool.version)}`);
  if (env?.git) lines.push(`**Git:** ${gitText(env.git)}`);
  return lines;
}

export function renderHeader(input: ReportInput): string {
  const { meta, summary, status } = input;
  const c = summary.counts;
  const planned = meta.counts?.planned ?? c.runs;
  const lines = [`# ${reportTitle(meta.id, meta.title)}`, ''];
  const banner = statusBanner(status, c.runs, planned);
  if (banner) lines.push(banner, '');
  const meta1 = [
    `**Report:** ${meta.id}`,
    `**Date:** ${escapeInline(meta.createdAt)}${meta.finishedAt ? ` → ${escapeInline(meta.finishedAt)}` : ' (not finished)'}`,
    `**Status:** ${status}${meta.supersededBy ? ` — superseded by ${trRef(meta.supersededBy)}${meta.supersedeReason ? ` (${escapeInline(meta.supersedeReason)})` : ''}` : ''}`,
    `**Kind:** ${code(meta.kind)}`,
    ...environmentLines(input),
    `**Total Runs:** ${c.runs} recorded of ${planned} planned — ${c.counted} counted, ${c.warmup} warm-up, ${c.solo} solo baseline, ${c.failed} failed, ${c.invalid} invalid, ${c.cancelled} cancelled`,
    `**Experiment hash:** ${code(meta.experiment.hash)}`,
  ];
  if (meta.supersedes) meta1.push(`**Supersedes:** ${trRef(meta.supersedes)}`);
  if (meta.imported) meta1.push(`**Imported from:** ${escapeInline(String(meta.imported.from))} (layout ${escapeInline(String(meta.imported.layout))}, ${meta.imported.files} files)`);
  // Two trailing spaces keep one line per fact in every markdown renderer.
  lines.push(meta1.join('  \n'), '');
  return lines.join('\n');
}

export function renderExecutiveSummary(input: ReportInput): string {
  const findings = keyFindings(input.summary);
  const description = typeof input.meta.experiment.description === 'string' ? `${escapeInline(input.meta.experiment.description)}\n\n` : '';
  return `${description}### Key Findings\n\n${findings.map((f, i) => `${i + 1}. ${f}`).join('\n')}\n`;
}
