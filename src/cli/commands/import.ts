// `chimeraforge import <dir>`: the original program's result folders → a TR directory (layout detected,
// skipped files and differences from the original printed).
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { importResults, type ImportResult } from '../../core/import/importer';
import { writeReport } from '../../core/report/write';
import type { LayoutName } from '../../core/import/types';
import { LAYOUTS } from '../../core/import/types';

interface ImportCliOptions { layout: string; as?: string; title?: string; reportsDir: string; json?: boolean; report: boolean }

function fmt(v: number | string | null): string {
  return v === null ? '—' : typeof v === 'number' ? String(Math.round(v * 1e4) / 1e4) : v;
}

/** The human summary of an import: what was detected, written, skipped, and where the original differs. */
export function formatImport(r: ImportResult, cwd = process.cwd()): string {
  const lines = [
    `layout: ${r.candidate.layout} (${r.candidate.evidence}) in ${relative(cwd, r.candidate.root) || '.'}`,
    `imported ${r.runs} runs from ${r.files} files into ${r.id} (${relative(cwd, r.dir) || r.dir})${r.commit ? `, data commit ${r.commit}` : ''}`,
  ];
  if (r.skipped.length) {
    lines.push(`skipped ${r.skipped.length}:`);
    for (const s of r.skipped) lines.push(`  ${s.file}: ${s.reason}`);
  } else lines.push('skipped 0');
  const bad = r.differences.filter((d) => !d.agrees);
  lines.push(`differences from the original: ${bad.length} of ${r.differences.length} checks differ`);
  for (const d of bad) lines.push(`  ✘ ${d.what}: original ${fmt(d.original)}${d.unit ? ` ${d.unit}` : ''}, recomputed ${fmt(d.recomputed)} (${d.source})`);
  return `${lines.join('\n')}\n`;
}

export function registerImportCommand(program: Command): void {
  program.command('import')
    .description('Import the original program\'s result folders (TR108–TR115_v2 layouts) as a TR directory')
    .argument('<dir>', 'folder holding the original results')
    .option('--layout <layout>', `auto | ${LAYOUTS.join(' | ')}`, 'auto')
    .option('--as <id>', 'TR id to write (default: the original\'s id when free, else the next number)')
    .option('--title <text>', 'title of the imported TR')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--no-report', 'skip writing the technical report, charts and index')
    .option('--json', 'print one JSON object')
    .action((dir: string, o: ImportCliOptions) => {
      const reportsDir = resolve(o.reportsDir);
      const r = importResults(dir, { reportsDir, layout: o.layout as LayoutName | 'auto', ...(o.as ? { as: o.as } : {}), ...(o.title ? { title: o.title } : {}) });
      // The imported TR gets its report, charts and a place in the index like any new run.
      const report = o.report ? writeReport(r.dir, { reportsDir }).reportFile : null;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ trId: r.id, trDir: r.dir, report, layout: r.candidate.layout, root: r.candidate.root, runs: r.runs, files: r.files, commit: r.commit, skipped: r.skipped, differences: r.differences })}\n`);
      } else process.stdout.write(`${formatImport(r)}${report ? `report: ${relative(process.cwd(), report) || report}\n` : ''}`);
    });
}
