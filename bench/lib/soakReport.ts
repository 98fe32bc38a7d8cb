// The soak report as markdown (bench/soak.ts writes it beside the JSON).
import type { SoakSample } from './soakStats';

export interface SoakResult {
  date: string;
  config: { commit?: string | null; minutes: number; agents: number; endpoints: number; tokensPerCall: number; node: string; platform: string };
  durationS: number;
  cliExitCode: number | null;
  runs: number;
  calls: number;
  failedRuns: number;
  failedCalls: number;
  maxRssMb: number;
  maxFds: number;
  rssSlopeMbPer1kRuns: number | null;
  rssGrowthPct: number | null;
  window: { samples: number; fromRuns: number; toRuns: number };
  maxSlopeBudget: number | null;
  maxGrowthPctBudget?: number | null;
  maxFilesBudget?: number | null;
  filesWritten: number;
  trBytes: number;
  runsJsonlBytesPerRun: number | null;
  trBytesPerRun: number | null;
  samples: SoakSample[];
}

const f = (x: number | null, d = 1): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));

export function soakMarkdown(r: SoakResult, problems: string[]): string {
  const first = r.samples[0];
  const last = r.samples.at(-1);
  return [
    `# Soak ${r.date}`,
    '',
    `${r.config.agents} agents on ${r.config.endpoints} embedded engines (paced, ${r.config.tokensPerCall} tokens a call), CLI stopped with SIGINT after ${f(r.durationS / 60)} min (exit ${r.cliExitCode}); ${r.config.platform}, node ${r.config.node}${r.config.commit ? `, commit ${r.config.commit}` : ''}.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| runs / calls | ${r.runs} / ${r.calls} |`,
    `| failed runs / calls | ${r.failedRuns} / ${r.failedCalls} |`,
    `| RSS slope, last two thirds (${r.window.samples} samples, runs ${r.window.fromRuns}–${r.window.toRuns}) | ${f(r.rssSlopeMbPer1kRuns, 2)} MB per 1,000 runs${r.maxSlopeBudget !== null ? ` (budget ${r.maxSlopeBudget})` : ''} |`,
    `| RSS growth over that window (fitted) | ${f(r.rssGrowthPct)} %${r.maxGrowthPctBudget != null ? ` (budget ${r.maxGrowthPctBudget})` : ''} |`,
    `| RSS first / last / max sample | ${f(first?.rssMb ?? null)} / ${f(last?.rssMb ?? null)} / ${f(r.maxRssMb)} MB |`,
    `| open file handles first / last / max | ${first?.fds ?? '—'} / ${last?.fds ?? '—'} / ${r.maxFds} |`,
    `| files in the TR directory | ${r.filesWritten} (${f(r.trBytes / 1e6)} MB)${r.maxFilesBudget != null ? ` (bound ${r.maxFilesBudget})` : ''} |`,
    `| runs.jsonl bytes per run | ${f(r.runsJsonlBytesPerRun, 0)} |`,
    `| TR bytes per run (all files) | ${f(r.trBytesPerRun, 0)} |`,
    '',
    problems.length ? `**FAILED:**\n${problems.map((p) => `- ${p}`).join('\n')}` : 'All checks passed.',
    '',
  ].join('\n');
}
