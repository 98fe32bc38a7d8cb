// `chimeraforge supersede <OLD> <NEW> --reason TEXT`: record lineage in both meta.json files.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { supersede } from '../../core/report/supersede';

export function registerSupersedeCommand(program: Command): void {
  program.command('supersede')
    .description('Mark OLD as superseded by NEW (both meta.json files updated, history kept, index regenerated)')
    .argument('<old>', 'the superseded TR id')
    .argument('<new>', 'the TR that supersedes it')
    .requiredOption('--reason <text>', 'why OLD is superseded (shown in the index)')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .action((oldId: string, newId: string, o: { reason: string; reportsDir: string }) => {
      const r = supersede(resolve(o.reportsDir), oldId, newId, o.reason);
      process.stdout.write(`${r.oldId} superseded by ${r.newId} (${r.reason}); index: ${r.index}\n`);
    });
}
