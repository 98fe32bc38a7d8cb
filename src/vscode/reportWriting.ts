// Writing a TR's technical report from the extension, never on the extension host's thread: each write
// runs in a worker (dist/reportWorker.js), so a big TR's report (every run read, PNGs drawn) does not
// freeze VS Code. Requests for one TR are coalesced: while a write runs, later requests share one
// follow-up write, which sees everything written meanwhile.
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChimeraError } from '../core/errors';
import type { Logger } from '../core/ports';
import type { WriteReportResult } from '../core/report/write';
import type { ReportJob, ReportJobReply } from './reportJob';

interface Slot {
  /** The last write asked for (running or waiting). */
  tail: Promise<WriteReportResult>;
  /** A write not started yet: requests arriving now share it. */
  queued: Promise<WriteReportResult> | null;
}

const noop = (): void => undefined;

export class ReportWrites {
  private readonly slots = new Map<string, Slot>();
  private readonly workers = new Set<Worker>();
  private toldNoFigures = false;
  private writes = 0;

  /** `workerFile`: the built worker entry, <extension>/dist/reportWorker.js. */
  constructor(private readonly workerFile: string, private readonly log: Logger) {}

  /** Writes actually started (coalesced requests share one). */
  get started(): number {
    return this.writes;
  }

  /** The write of `trDir`'s report in progress or waiting (the last one asked for); undefined when none is. */
  pending(trDir: string): Promise<WriteReportResult> | undefined {
    return this.slots.get(resolve(trDir))?.tail;
  }

  /** Writes the report of `trDir` (PNG figures where the chart renderer is installed); resolves when it is on disk. */
  write(trDir: string, reportsDir: string): Promise<WriteReportResult> {
    const key = resolve(trDir);
    const slot = this.slots.get(key);
    if (slot?.queued) return slot.queued;
    const prev = slot?.tail ?? Promise.resolve(undefined);
    const next: Promise<WriteReportResult> = prev.then(noop, noop).then(() => {
      const s = this.slots.get(key);
      if (s?.queued === next) s.queued = null;
      return this.run({ trDir: key, reportsDir: resolve(reportsDir) });
    });
    const s = slot ?? { tail: next, queued: null };
    s.tail = next;
    s.queued = next;
    this.slots.set(key, s);
    next.finally(() => {
      if (this.slots.get(key)?.tail === next) this.slots.delete(key);
    }).catch(noop);
    return next;
  }

  /** Stops writes in progress (deactivation): the report files are written atomically, so none is left half-written. */
  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.clear();
  }

  private run(job: ReportJob): Promise<WriteReportResult> {
    this.writes++;
    return new Promise<WriteReportResult>((done, fail) => {
      const worker = new Worker(this.workerFile);
      this.workers.add(worker);
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        this.workers.delete(worker);
        void worker.terminate();
        f();
      };
      worker.once('message', (reply: ReportJobReply) => finish(() => {
        if (!reply.ok) {
          fail(new ChimeraError(reply.error.code, reply.error.message, { ...(reply.error.where ? { where: reply.error.where } : {}), ...(reply.error.hint ? { hint: reply.error.hint } : {}) }));
          return;
        }
        this.afterWrite(job.trDir, reply);
        done(reply.result);
      }));
      worker.once('error', (e) => finish(() => fail(new ChimeraError('E_INTERNAL', `the report worker for ${job.trDir} failed: ${e.message}`, { where: this.workerFile, cause: e }))));
      worker.once('exit', (code) => finish(() => fail(new ChimeraError('E_INTERNAL', `the report worker for ${job.trDir} stopped (exit code ${code}) before writing the report`, {
        where: this.workerFile, hint: 'run "Chimeraforge: Regenerate Report" on the TR; its runs are on disk as they were measured',
      }))));
      worker.postMessage(job);
    });
  }

  private afterWrite(trDir: string, reply: Extract<ReportJobReply, { ok: true }>): void {
    if (!reply.charts && !this.toldNoFigures) {
      this.toldNoFigures = true;
      this.log.warn('reports are written without PNG figures: this install of the extension has no chart renderer (@napi-rs/canvas); the dashboard draws every chart, and the platform .vsix writes PNG figures');
    }
    for (const c of reply.result.corrupt) this.log.warn(`${trDir}: runs.jsonl line ${c.line} skipped: ${c.error}`);
  }
}
