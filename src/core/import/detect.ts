// Which of the original's layouts a folder holds. A bounded walk looks for each layout's signature and stops
// descending where one matched; the caller decides (one candidate, or --layout, or ask the user).
import { join, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import { ChimeraError } from '../errors';
import { isKnownScenario } from './names';
import { ImportScan, isDir, isFile } from './scan';
import { TR108_RAW } from './tr108';
import { LAYOUTS, type LayoutName } from './types';

export interface Candidate { layout: LayoutName; root: string; evidence: string }

const MAX_DEPTH = 6;
const MAX_DIRS = 5000;
const SUMMARY_CSV = /_param_tuning_summary\.csv$/;

function hasRawCsv(scan: ImportScan, dir: string): boolean {
  return scan.fileNames(dir).some((f) => !SUMMARY_CSV.test(f) && TR108_RAW.some((re) => re.test(f)));
}

/** Parse the first readable <child>/data/metrics.json: a list means the Python agent, an object with baseline+chimera the Rust one. */
function sniffSingle(dir: string, children: string[]): LayoutName | null {
  for (const c of children.slice(0, 5)) {
    const f = join(dir, c, 'data', 'metrics.json');
    if (!isFile(f)) continue;
    try {
      const v: unknown = JSON.parse(readFileSync(f, 'utf8'));
      if (Array.isArray(v)) return 'python-sweep';
      if (v && typeof v === 'object' && 'baseline' in v && 'chimera' in v) return 'rust-single';
    } catch {
      // a 0-byte or broken file: try the next folder
    }
  }
  return null;
}

function signatures(scan: ImportScan, dir: string): Candidate[] {
  const children = scan.dirs(dir);
  const out: Candidate[] = [];
  const add = (layout: LayoutName, evidence: string): void => {
    out.push({ layout, root: dir, evidence });
  };
  const runtimes = children.filter((c) => c.startsWith('runtime-'));
  if (runtimes.length) add('runtime-matrix', `${runtimes.length} runtime-<name> folders (${runtimes.slice(0, 3).join(', ')}…)`);
  const phases = children.filter((c) => /^phase_\d+_test_\d+$/.test(c));
  if (phases.length) add('python-multi', `${phases.length} phase_<p>_test_<NNN> folders`);
  const scenarios = children.filter((c) => isKnownScenario(c) && scan.dirs(join(dir, c)).some((t) => /^test_?\d+$/.test(t)));
  if (scenarios.length) add('rust-multi', `scenario folders ${scenarios.join(', ')} with test<NNN> folders`);
  const singles = children.filter((c) => isFile(join(dir, c, 'data', 'metrics.json')) || isDir(join(dir, c, 'data')));
  if (singles.length) {
    const kind = sniffSingle(dir, singles);
    if (kind) add(kind, `${singles.length} <config>/data/metrics.json folders (${kind === 'python-sweep' ? 'lists of Python runs' : 'Rust baseline + chimera results'})`);
  }
  if (hasRawCsv(scan, dir)) add('tr108-csv', 'TR108 result CSVs in this folder');
  else if (children.length && children.every((c) => hasRawCsv(scan, join(dir, c)))) add('tr108-csv', `TR108 result CSVs in ${children.join(', ')}`);
  return out;
}

/** Every layout found under dir (breadth-first, depth ≤ 6), the nearest match per branch. */
export function detectLayouts(dir: string): Candidate[] {
  const scan = new ImportScan(dir);
  const found: Candidate[] = [];
  let queue: { path: string; depth: number }[] = [{ path: dir, depth: 0 }];
  let visited = 0;
  while (queue.length && visited < MAX_DIRS) {
    const next: typeof queue = [];
    for (const { path, depth } of queue) {
      visited++;
      const c = signatures(scan, path);
      if (c.length) {
        found.push(...c);
        continue;
      }
      if (depth < MAX_DEPTH) for (const d of scan.dirs(path)) if (d !== 'node_modules') next.push({ path: join(path, d), depth: depth + 1 });
    }
    queue = next;
  }
  return found;
}

function describe(base: string, c: Candidate): string {
  return `${c.layout.padEnd(14)} ${relative(base, c.root) || '.'}  (${c.evidence})`;
}

/** The one candidate to import: the only one found, or the only one of the requested layout; otherwise E_BAD_INPUT listing them. */
export function chooseCandidate(dir: string, found: Candidate[], requested: LayoutName | 'auto'): Candidate {
  if (requested !== 'auto' && !(LAYOUTS as readonly string[]).includes(requested)) {
    throw new ChimeraError('E_BAD_INPUT', `unknown layout "${requested}"`, { where: '--layout', hint: `use auto or one of: ${LAYOUTS.join(', ')}` });
  }
  const pool = requested === 'auto' ? found : found.filter((c) => c.layout === requested);
  if (pool.length === 1) return pool[0];
  if (pool.length === 0 && requested !== 'auto') return { layout: requested, root: dir, evidence: 'layout named with --layout' };
  if (pool.length === 0) {
    throw new ChimeraError('E_BAD_INPUT', `no result layout of the original program found in ${dir}`, {
      where: dir,
      hint: `point at the folder that holds the results, or name the layout with --layout (${LAYOUTS.join(', ')})`,
    });
  }
  throw new ChimeraError('E_BAD_INPUT', `${pool.length} result layouts found in ${dir}; which one should be imported?`, {
    where: dir,
    details: pool.map((c) => describe(dir, c)),
    hint: requested === 'auto' ? 'name one with --layout <name>, or point at its folder' : 'point at one of these folders',
  });
}
