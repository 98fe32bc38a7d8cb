// Reading the original's folders defensively: every file that cannot be used (0 bytes, not JSON, unreadable)
// is recorded with its reason and the import goes on; nothing here throws on bad data.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { errorMessage } from '../errors';
import type { Skipped } from './types';

/** Natural order, so run_2 sorts before run_10 and test009 before test100. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

export class ImportScan {
  readonly skipped: Skipped[] = [];
  /** Files read and used. */
  files = 0;
  /** Markdown reports the original wrote beside its data: expected, not imported (text only). */
  markdownIgnored = 0;
  /** sha256 of every file read (relative path with '/' → hex digest), for contentHash(). */
  private readonly digests = new Map<string, string>();

  constructor(readonly root: string) {}

  /** The bytes of a file, with their digest noted: every read goes through here. */
  private read(path: string): Buffer {
    const buf = readFileSync(path);
    this.digests.set(this.rel(path).split(sep).join('/'), createHash('sha256').update(buf).digest('hex'));
    return buf;
  }

  /**
   * `sha256:<hex>` over the files this import read, as `sha256sum` lines (`<digest>  <path>`, '/' paths,
   * sorted): the same data gives the same hash wherever it lies, and one changed, added or missing file changes it.
   */
  contentHash(): string {
    const lines = [...this.digests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, digest]) => `${digest}  ${path}\n`);
    return `sha256:${createHash('sha256').update(lines.join('')).digest('hex')}`;
  }

  rel(path: string): string {
    return relative(this.root, path) || '.';
  }

  skip(path: string, reason: string): void {
    this.skipped.push({ file: this.rel(path), reason });
  }

  /** Parsed JSON of a file, or undefined (recorded as skipped) when it is empty, unreadable or not JSON. */
  readJson(path: string): unknown {
    const text = this.readText(path);
    if (text === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(text);
      this.files++;
      return value;
    } catch (e) {
      this.skip(path, `not JSON: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** JSON of an optional side file: undefined without recording anything when absent or bad. */
  readJsonQuiet(path: string): unknown {
    try {
      return JSON.parse(this.read(path).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** Text of a file, or undefined (recorded) when it is missing, unreadable or 0 bytes. */
  readText(path: string): string | undefined {
    let text: string;
    try {
      text = this.read(path).toString('utf8');
    } catch (e) {
      this.skip(path, `unreadable: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
      return undefined;
    }
    if (text.trim() === '') {
      this.skip(path, text.length === 0 ? '0-byte file' : 'file holds only whitespace');
      return undefined;
    }
    return text;
  }

  /** Sub-directory names in natural order ([] when the folder cannot be read). */
  dirs(path: string): string[] {
    return entries(path).filter((e) => e.dir).map((e) => e.name);
  }

  /** File names in natural order. */
  fileNames(path: string): string[] {
    return entries(path).filter((e) => !e.dir).map((e) => e.name);
  }

  /**
   * Account for the files of a folder that the layout does not read: markdown reports are counted as
   * ignored, anything else is reported as skipped so a stray file is never silently dropped.
   */
  accountOthers(path: string, used: readonly string[]): void {
    for (const name of this.fileNames(path)) {
      if (used.includes(name)) continue;
      if (name.toLowerCase().endsWith('.md')) this.markdownIgnored++;
      else this.skip(join(path, name), 'not a result file of this layout (not read)');
    }
  }

  /**
   * A single-agent config folder `<dir>/data/metrics.json` (TR109 Python sweep, TR111_v2 Rust): accounts
   * for the folder's other files and returns the parsed JSON, or undefined (with the reason recorded as a
   * skip) when the folder is empty, has no metrics.json, or the file is unreadable.
   */
  readConfigMetrics(dir: string): { file: string; data: unknown } | undefined {
    const file = join(dir, 'data', 'metrics.json');
    this.accountOthers(dir, []);
    if (!isFile(file)) {
      this.skip(dir, this.dirs(dir).length === 0 && this.fileNames(dir).length === 0 ? 'empty config folder' : 'no data/metrics.json');
      return undefined;
    }
    this.accountOthers(join(dir, 'data'), ['metrics.json']);
    const data = this.readJson(file);
    return data === undefined ? undefined : { file, data };
  }
}

function entries(path: string): { name: string; dir: boolean }[] {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .sort(naturalCompare)
    .map((name) => {
      try {
        return { name, dir: statSync(join(path, name)).isDirectory() };
      } catch {
        return { name, dir: false };
      }
    });
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Narrowing helpers for untyped JSON: a field as number / string / object, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
