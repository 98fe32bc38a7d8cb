// `chimeraforge compendium`: one document of the current (not superseded) reports with a table of contents.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeCompendium } from '../../core/report/compendium';
import { ensureWritableDir } from '../../core/store/files';

export function registerCompendiumCommand(program: Command): void {
  program.command('compendium')
    .description('Write <reports-dir>/compendium.md: the current reports in TR order, with a table of contents')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .action((o: { reportsDir: string }) => {
      const dir = resolve(o.reportsDir);
      ensureWritableDir(dir);
      const r = writeCompendium(dir);
      process.stdout.write(`${r.file}\n`);
      process.stderr.write(`${r.included.length} current report(s): ${r.included.join(', ') || 'none'}${r.skipped.length ? `; ${r.skipped.length} unreadable left out` : ''}\n`);
    });
}
