// `chimeraforge compare <TR>[:variant] <TR>[:variant]`: Welch CI of the difference, bootstrap CI, p, g
// and a verdict; written under the newer TR (comparisons/*.json + .md, meta.summary.comparisons).
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { compareTrGroups, parseGroupRef } from '../../core/report/compareTrs';
import { fmtCi, fmtNum, fmtP } from '../../core/report/format';
import { provenanceLines } from '../../core/store/provenance';

interface CompareCliOptions { reportsDir: string; metric: string; json?: boolean }

export function registerCompareCommand(program: Command): void {
  program.command('compare')
    .description('Compare two groups (a variant of a TR each, same or two TRs) and record the result under the newer TR')
    .argument('<a>', 'reference group: TR<n>[:variant]')
    .argument('<b>', 'compared group: TR<n>[:variant]')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--metric <name>', 'per-run metric to compare (decode_tps, ttft_ms, e2e_ms, wall_ms, …)', 'decode_tps')
    .option('--json', 'print the comparison as JSON on stdout')
    .action((a: string, b: string, o: CompareCliOptions) => {
      const reportsDir = resolve(o.reportsDir);
      const r = compareTrGroups(reportsDir, parseGroupRef(a), parseGroupRef(b), o.metric);
      const c = r.comparison;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ ...c, underTr: r.underTr, files: [r.jsonFile, r.mdFile] })}\n`);
        return;
      }
      const lines = [
        `${c.metric}: ${c.a} (n=${c.nA}, mean ${fmtNum(c.meanA)}) vs ${c.b} (n=${c.nB}, mean ${fmtNum(c.meanB)})`,
        `  diff (b − a) ${fmtNum(c.diff)}  95% CI ${fmtCi(c.ci95)}  bootstrap ${fmtCi(c.bootstrapCi95 ?? null)}`,
        `  ratio ${fmtNum(c.ratio)}  95% CI ${fmtCi(c.ratioCi95 ?? null)}  p ${fmtP(c.p)}${c.p_adjusted !== undefined ? ` (Holm-adjusted ${fmtP(c.p_adjusted)} over ${c.adjustment?.comparisons} comparisons)` : ''}  Hedges' g ${fmtNum(c.g)}`,
        `  verdict: ${c.verdict}`,
        ...provenanceLines(c.provenance, 'a → b'),
        `written under ${r.underTr}: ${relative(process.cwd(), r.jsonFile)}, ${relative(process.cwd(), r.mdFile)}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
