// `chimeraforge list`: the TR directories of a reports directory, with status (interrupted detected).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { listTrs, type TrListing } from '../../core/store/list';
import { EXIT } from '../exit';

function row(t: TrListing): string[] {
  const runs = t.counts ? `${t.counts.completed}/${t.counts.planned}` : '-';
  const failed = t.counts ? String(t.counts.failed) : '-';
  const sup = t.supersededBy ? `superseded by ${t.supersededBy}` : '';
  return [t.id, t.status, t.kind || '-', (t.createdAt ?? '').slice(0, 16).replace('T', ' '), runs, failed, t.error ? `(unreadable: ${t.error})` : t.title, sup];
}

export function formatList(items: TrListing[]): string {
  const header = ['TR', 'STATUS', 'KIND', 'CREATED', 'RUNS', 'FAILED', 'TITLE', ''];
  const rows = [header, ...items.map(row)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function registerListCommand(program: Command): void {
  program.command('list')
    .description('List the TR directories of the reports directory with their status')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--json', 'print JSON')
    .action((o: { reportsDir: string; json?: boolean }) => {
      const items = listTrs(resolve(o.reportsDir));
      if (o.json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      else process.stdout.write(items.length ? `${formatList(items)}\n` : `no TR directories in ${resolve(o.reportsDir)}\n`);
      const unreadable = items.filter((i) => i.error);
      if (unreadable.length) {
        // Listed and skipped, never a crash; each named with its file, and the exit code says input was bad.
        for (const u of unreadable) process.stderr.write(`${u.id}: ${u.error}\n`);
        process.stderr.write(`${unreadable.length} TR director${unreadable.length === 1 ? 'y' : 'ies'} could not be read (skipped)\n`);
        process.exitCode = EXIT.badInput;
      }
    });
}
