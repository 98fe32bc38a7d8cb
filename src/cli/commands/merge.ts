// `chimeraforge merge <TR>... --as <TR>`: one TR from the TRs of one experiment run on several hosts (PRODUCT.md §11.5).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { mergeTrs } from '../../core/report/merge';
import { reportAfterRun } from './report';
import { exitCodeOfStatus } from './run';

interface MergeCliOptions { as: string; reportsDir: string; json?: boolean }

export function registerMergeCommand(program: Command): void {
  program.command('merge')
    .description('Join TRs of the same experiment run on several hosts into one TR from their raw runs (renumbered; each keeps its source TR and host); exit 2 when the experiments differ')
    .argument('<trs...>', 'the TR ids to join (two or more)')
    .requiredOption('--as <id>', 'TR id of the merged TR')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--json', 'print one JSON result object on stdout')
    .action((ids: string[], o: MergeCliOptions) => {
      const reportsDir = resolve(o.reportsDir);
      const r = mergeTrs(reportsDir, ids, o.as);
      const line = (text: string): void => void process.stderr.write(`${text}\n`);
      line(`${r.id}: ${r.status} — ${r.runs} runs from ${r.from.join(', ')} → ${r.dir}`);
      const reportFile = reportAfterRun(r.dir, reportsDir, line);
      if (o.json) process.stdout.write(`${JSON.stringify({ trId: r.id, trDir: r.dir, status: r.status, runs: r.runs, from: r.from, reportFile })}\n`);
      process.exitCode = exitCodeOfStatus(r.status);
    });
}
