// Writing one TR directory while an experiment runs: reserve the id, write meta.json (atomically, at
// start, after every run and at the end), append runs.jsonl per run, append generated texts to outputs.jsonl
// (one file per TR however many calls; kept per the experiment's "outputTexts" policy).
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureWritableDir, JsonlAppender, writeFileAtomic, writeJsonAtomic } from './files';
import { reportFileName, reserveTrDir } from './trId';
import { encodeRunLine } from './runCodec';
import { OUTPUTS_FILE, outputRef } from './outputs';
import type { Counts, Meta, OutputTextPolicy, OutputTextTally, RunRecord, Summary, TrStatus } from '../types';
import { exclusionOf, type ColdRuns } from '../stats/runValues';

export const META_SCHEMA_VERSION = 1;

export type MetaInit = Omit<Meta, 'schemaVersion' | 'id' | 'status' | 'createdAt' | 'finishedAt' | 'writer' | 'counts' | 'summary' | 'supersededBy' | 'supersedeReason' | 'artifacts'> & {
  planned: number;
  createdAt?: string;
};

export function emptyCounts(planned: number): Counts {
  return { planned, completed: 0, warmup: 0, failed: 0, invalid: 0, cancelled: 0 };
}

export function countRun(c: Counts, r: RunRecord, coldRuns: ColdRuns = 'exclude'): void {
  if (r.status === 'cancelled') c.cancelled = (c.cancelled ?? 0) + 1;
  else c.completed++;
  if (r.warmup) c.warmup++;
  if (r.status === 'failed') c.failed++;
  else if (r.status === 'ok' && !r.valid) c.invalid++;
  if (!r.warmup && r.cold === true) c.cold = (c.cold ?? 0) + 1;
  const why = exclusionOf(r, coldRuns);
  if (why !== null && why !== 'warmup') c.excluded = { ...(c.excluded ?? {}), [why]: (c.excluded?.[why] ?? 0) + 1 };
}

export class TrWriter {
  readonly meta: Meta;
  private readonly runs: JsonlAppender;
  private pendingOutputs: string[] = [];
  private outputs: JsonlAppender | null = null;
  private offered = 0;
  private readonly tally: OutputTextTally;

  private constructor(readonly reportsDir: string, readonly dir: string, meta: Meta, policy: OutputTextPolicy) {
    this.meta = meta;
    this.tally = { file: OUTPUTS_FILE, ...policy, kept: 0, dropped: 0, bytes: 0 };
    meta.outputTexts = this.tally;
    mkdirSync(join(dir, 'outputs'), { recursive: true });
    mkdirSync(join(dir, 'charts'), { recursive: true });
    this.runs = new JsonlAppender(join(dir, 'runs.jsonl'));
    this.flushMeta();
  }

  /** Reserve the TR id (next free number unless requested) and write the initial meta.json. */
  static create(reportsDir: string, init: MetaInit, requestedId?: string, policy: OutputTextPolicy = { every: 1, maxBytes: null }): TrWriter {
    ensureWritableDir(reportsDir);
    const { id, dir } = reserveTrDir(reportsDir, requestedId);
    const { planned, createdAt, ...rest } = init;
    const meta: Meta = {
      schemaVersion: META_SCHEMA_VERSION,
      id,
      ...rest,
      status: 'running',
      createdAt: createdAt ?? new Date().toISOString(),
      finishedAt: null,
      writer: { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() },
      counts: emptyCounts(planned),
      summary: { variants: [], comparisons: [] },
      supersedes: (init.supersedes as string | null | undefined) ?? null,
      supersededBy: null,
      supersedeReason: null,
      artifacts: { runs: 'runs.jsonl', summaryCsv: 'summary.csv', report: `../${reportFileName(id)}`, charts: [], outputs: OUTPUTS_FILE },
    };
    return new TrWriter(reportsDir, dir, meta, policy);
  }

  get id(): string {
    return this.meta.id;
  }

  /** Append one finished run (flushed to disk before this returns) and refresh meta.json's counts. */
  addRun(run: RunRecord, summary?: Summary): void {
    this.flushOutputs();
    this.runs.appendLine(encodeRunLine(run));
    countRun(this.meta.counts, run, this.meta.experiment.coldRuns === 'include' ? 'include' : 'exclude');
    if (summary) this.meta.summary = summary;
    this.flushMeta();
  }

  /**
   * Save a generated text (a line of outputs.jsonl); returns the reference a call records, or undefined
   * when the policy drops it (not every k-th, or beyond the byte budget). The line is written (one write,
   * fsynced) with the run's record in addRun, not now: an fsync here blocked the event loop ~15 ms on a
   * loaded machine while the run's other calls were still streaming (bench: decode-rate error of
   * concurrent agents). Readers find a run's outputs no later than its runs.jsonl line.
   */
  writeOutput(name: string, text: string): string | undefined {
    const { every, maxBytes } = this.tally;
    const line = JSON.stringify({ name, text });
    const bytes = Buffer.byteLength(line) + 1;
    if (this.offered++ % every !== 0 || (maxBytes !== null && this.tally.bytes + bytes > maxBytes)) {
      this.tally.dropped++;
      return undefined;
    }
    this.tally.kept++;
    this.tally.bytes += bytes;
    this.pendingOutputs.push(line);
    return outputRef(name);
  }

  private flushOutputs(): void {
    if (this.pendingOutputs.length === 0) return;
    this.outputs ??= new JsonlAppender(join(this.dir, OUTPUTS_FILE));
    this.outputs.appendLines(this.pendingOutputs);
    this.pendingOutputs = [];
  }

  /** A folder under outputs/ (e.g. a command run's \${run_dir}); returns its absolute path. */
  outputDir(name: string): string {
    const dir = join(this.dir, 'outputs', name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_'));
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  update(patch: Partial<Meta>): void {
    Object.assign(this.meta, patch);
    this.flushMeta();
  }

  finish(status: Exclude<TrStatus, 'running'>, summary: Summary, summaryCsv: string): void {
    this.flushOutputs();
    writeFileAtomic(join(this.dir, 'summary.csv'), summaryCsv);
    this.meta.status = status;
    this.meta.finishedAt = new Date().toISOString();
    this.meta.summary = summary;
    delete this.meta.writer;
    this.runs.close();
    this.outputs?.close();
    this.flushMeta();
  }

  /**
   * Finish the TR as `failed` after an exception mid-experiment, so meta.json never stays `running`.
   * Best effort on a failing disk: each step is tried on its own; the runs already appended stay.
   */
  abort(error: { code: string; message: string }, summary?: Summary): void {
    try {
      this.flushOutputs();
    } catch {
      // the disk may be what failed; the runs.jsonl lines already written are the record
    }
    this.meta.status = 'failed';
    this.meta.finishedAt = new Date().toISOString();
    this.meta.error = error;
    this.meta.notes = [...(this.meta.notes ?? []), `The experiment stopped on an error (${error.code}): ${error.message}`];
    if (summary) this.meta.summary = summary;
    delete this.meta.writer;
    this.runs.close();
    try {
      this.outputs?.close();
    } catch {
      // as above: the texts already appended stay
    }
    this.flushMeta();
  }

  private flushMeta(): void {
    writeJsonAtomic(join(this.dir, 'meta.json'), this.meta);
  }
}
