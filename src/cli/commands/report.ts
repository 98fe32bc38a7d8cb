// `chimeraforge report <TR-ID>`: regenerate summary, summary.csv, charts and the technical report from
// the TR's raw runs.jsonl (works on interrupted and cancelled TRs: the report says PARTIAL).
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors';
import { trDirOf } from '../../core/report/locate';
import { writeReport } from '../../core/report/write';
import { EXIT } from '../exit';

interface ReportCliOptions { reportsDir: string; charts: boolean; json?: boolean }

export function registerReportCommand(program: Command): void {
  program.command('report')
    .description('Regenerate a TR\'s report, summary.csv and charts from its raw runs (and the reports index)')
    .argument('<tr>', 'TR id, e.g. TR116 or TR111_v2')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--no-charts', 'keep the PNG figures already in charts/ instead of rendering them')
    .option('--json', 'print one JSON result object on stdout')
    .action((id: string, o: ReportCliOptions) => {
      const reportsDir = resolve(o.reportsDir);
      const r = writeReport(trDirOf(reportsDir, id), { reportsDir, charts: o.charts });
      if (r.corrupt.length) {
        // The report is written from the readable runs; each skipped line is named and the exit code says so.
        for (const c of r.corrupt) process.stderr.write(`${r.id}: runs.jsonl line ${c.line} unreadable (${c.error}), skipped\n`);
        process.stderr.write(`${r.id}: ${r.corrupt.length} unreadable line(s) of runs.jsonl skipped (the report says so)\n`);
        process.exitCode = EXIT.badInput;
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ id: r.id, status: r.status, reportFile: r.reportFile, charts: r.charts, metaUpdated: r.metaUpdated, skippedLines: r.corrupt.length })}\n`);
        return;
      }
      process.stdout.write(`${r.reportFile}\n`);
      const partial = r.status === 'complete' ? '' : ` (${r.status}: marked in the report)`;
      process.stderr.write(`${r.id}: report, summary.csv and ${r.charts.length} chart(s) regenerated${partial}${r.metaUpdated ? '' : '; meta.json left to the running writer'}\n`);
    });
}

/**
 * After `run`/`demo`: write the TR's report (and the index). A failure here never changes the run's
 * outcome — the TR directory is complete without it and `chimeraforge report` can retry.
 */
export function reportAfterRun(trDir: string, reportsDir: string, line: (text: string) => void): string | null {
  try {
    const r = writeReport(trDir, { reportsDir });
    line(`report: ${r.reportFile}`);
    return r.reportFile;
  } catch (e) {
    line(`report not written (${errorMessage(e)}); retry with: chimeraforge report ${basename(trDir)} --reports-dir ${reportsDir}`);
    return null;
  }
}
