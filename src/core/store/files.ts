// File primitives with the guarantees PRODUCT.md §5 promises: meta.json valid at every instant
// (temp + rename), runs.jsonl appended and flushed per run.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync, accessSync, constants, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { ChimeraError } from '../errors';

let tmpCounter = 0;

/** Write text so readers see either the old or the new file, never a partial one. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${tmpCounter++}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** An append-only JSON-lines file; each append is one write + fdatasync, so a crash loses at most the line in flight. */
export class JsonlAppender {
  private fd: number | null;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  append(value: unknown): void {
    this.appendLine(JSON.stringify(value));
  }

  /** One line already serialized (without its newline), written and fsynced. */
  appendLine(line: string): void {
    this.appendLines([line]);
  }

  /** Lines already serialized, in one write and one fsync. */
  appendLines(lines: readonly string[]): void {
    if (this.fd === null) throw new ChimeraError('E_INTERNAL', `append to closed file ${this.file}`);
    if (lines.length === 0) return;
    writeSync(this.fd, `${lines.join('\n')}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) closeSync(fd);
  }
}

/** Create the reports directory if needed and prove it is writable, with a message that says what to do. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new ChimeraError('E_NOT_WRITABLE', `the reports directory ${dir} is not writable`, {
      where: dir,
      cause: e,
      hint: 'choose another directory (--reports-dir / setting chimeraforge.reportsDir) or fix its permissions',
    });
  }
}
