// Ingestion for the report-agent workflow: find benchmark files by glob, read a bounded excerpt of each,
// and build the data inventory the analysis prompt is given (PRODUCT.md §2.1, ORIGINS.md §2.2 step 1–2).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { isInside } from '../trust/paths';

export type DataType = 'csv' | 'json' | 'markdown';
export interface IngestedFile { path: string; type: DataType; bytes: number; modified: string; excerpt: string }
export interface Inventory {
  files: IngestedFile[];
  byType: Record<DataType, { count: number; bytes: number; newest: string | null }>;
  totalBytes: number;
  /** The text put into prompts as {{inventory}}. */
  summary: string;
}

const TYPES: Record<string, DataType> = { '.csv': 'csv', '.json': 'json', '.md': 'markdown', '.markdown': 'markdown' };
/** Never ingested: dependency and VCS folders, and our own results (ingesting them would change every run). */
const SKIP_DIRS = new Set(['node_modules', '.git', '.vscode-test', 'dist']);

function walk(root: string, dir: string, skip: Set<string>, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || e.name.startsWith('.') || skip.has(full)) continue;
      walk(root, full, skip, out);
    } else if (e.isFile() || (e.isSymbolicLink() && linkedFileInside(full, root))) {
      out.push(relative(root, full).split(sep).join('/'));
    }
  }
}

/**
 * Workspace Trust: a symlink is read only when it resolves (realpath) to a file inside the workspace;
 * one that leads out (`data/x.csv -> ~/.ssh/id_rsa`) is passed over, trusted or not. Linked folders
 * are never followed (no cycles, no way out).
 */
function linkedFileInside(link: string, root: string): boolean {
  try {
    return statSync(link).isFile() && isInside(link, root);
  } catch {
    return false; // a dangling link
  }
}

function excerptOf(type: DataType, text: string, maxChars: number): string {
  if (type === 'csv') return text.split(/\r?\n/).slice(0, 4).join('\n').slice(0, maxChars);
  if (type === 'json') {
    try {
      const v: unknown = JSON.parse(text);
      if (Array.isArray(v)) return `array of ${v.length}${v[0] && typeof v[0] === 'object' ? `; keys: ${Object.keys(v[0] as object).slice(0, 12).join(', ')}` : ''}`.slice(0, maxChars);
      if (v && typeof v === 'object') return `keys: ${Object.keys(v).slice(0, 16).join(', ')}`.slice(0, maxChars);
      return String(v).slice(0, maxChars);
    } catch {
      return '(not valid JSON)';
    }
  }
  return text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 3).join('\n').slice(0, maxChars);
}

export interface IngestOptions { maxFiles?: number; excerptChars?: number; excludeDirs?: string[] }

/** Files under `workspaceDir` matching any glob (relative, POSIX style), sorted for a stable order. */
export function ingest(workspaceDir: string, globs: string[], opts: IngestOptions = {}): Inventory {
  const all: string[] = [];
  walk(workspaceDir, workspaceDir, new Set((opts.excludeDirs ?? []).map((d) => join(d))), all);
  const isMatch = picomatch(globs, { dot: false });
  const matched = all.filter((p) => isMatch(p) && TYPES[extname(p).toLowerCase()] !== undefined).sort();
  const limited = opts.maxFiles !== undefined ? matched.slice(0, opts.maxFiles) : matched;
  const files: IngestedFile[] = limited.map((p) => {
    const full = join(workspaceDir, p);
    const st = statSync(full);
    const type = TYPES[extname(p).toLowerCase()];
    // Read at most 64 KiB: the excerpt needs the head of the file only.
    const text = readFileSync(full).subarray(0, 65536).toString('utf8');
    return { path: p, type, bytes: st.size, modified: st.mtime.toISOString(), excerpt: excerptOf(type, text, opts.excerptChars ?? 160) };
  });
  const byType = { csv: { count: 0, bytes: 0, newest: null }, json: { count: 0, bytes: 0, newest: null }, markdown: { count: 0, bytes: 0, newest: null } } as Inventory['byType'];
  for (const f of files) {
    const t = byType[f.type];
    t.count++;
    t.bytes += f.bytes;
    if (!t.newest || f.modified > t.newest) t.newest = f.modified;
  }
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  return { files, byType, totalBytes, summary: inventorySummary(files, byType, totalBytes) };
}

const LABEL: Record<DataType, string> = { csv: 'CSV', json: 'JSON', markdown: 'Markdown' };

/** "Total files analyzed: N", then per type the count, size, newest date and the first five files. */
export function inventorySummary(files: IngestedFile[], byType: Inventory['byType'], totalBytes: number): string {
  const lines = [`Total files analyzed: ${files.length} (${totalBytes} bytes)`];
  for (const type of ['csv', 'json', 'markdown'] as DataType[]) {
    const t = byType[type];
    if (t.count === 0) continue;
    lines.push('', `${LABEL[type]} files (${t.count}, ${t.bytes} bytes, latest modified ${t.newest?.slice(0, 19).replace('T', ' ')} UTC):`);
    const list = files.filter((f) => f.type === type);
    for (const f of list.slice(0, 5)) lines.push(`- ${f.path}: ${f.excerpt.replace(/\s*\n\s*/g, ' | ')}`);
    if (list.length > 5) lines.push(`... and ${list.length - 5} more`);
  }
  return lines.join('\n');
}
