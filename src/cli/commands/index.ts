// `chimeraforge index`: regenerate the reports index README.md (current and superseded reports, key findings).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { regenerateIndex } from '../../core/report/reportsIndex';
import { ensureWritableDir } from '../../core/store/files';

export function registerIndexCommand(program: Command): void {
  program.command('index')
    .description('Regenerate the reports index README.md of the reports directory')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .action((o: { reportsDir: string }) => {
      const dir = resolve(o.reportsDir);
      ensureWritableDir(dir);
      process.stdout.write(`${regenerateIndex(dir)}\n`);
    });
}
