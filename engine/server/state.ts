// The running engine: configuration, the backend of each mode with its scheduler, fault plan, counters.
import { applyPatch, type EngineConfigPatch, type EngineMode, type FaultKind, type ResolvedConfig } from '../config';
import { FaultPlan } from '../fault/plan';
import { PacedBackend } from '../paced/backend';
import type { Backend, ModelEntry } from './backend';
import { Scheduler } from './scheduler';
import { WaitQueue } from './slots';

export interface EngineStats {
  mode: EngineMode;
  /** Every HTTP request received, admin routes included. */
  requests: number;
  /** generate/chat requests received. */
  inference: number;
  inFlight: number;
  /** Requests waiting for a slot now (no limit, as in Ollama). */
  waiting: number;
  /** Requests queued in the scheduler behind a model load or reload now (bounded by maxQueue). */
  pending: number;
  /** 503 answers because the scheduler queue was full. */
  rejectedBusy: number;
  faultsInjected: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
  loads: number;
  unloads: number;
}

export interface ActiveBackend {
  backend: Backend;
  scheduler: Scheduler;
}

/** Builds the llama backend on first use; `cfg` reads the live configuration (it can change at run time). */
export type LlamaFactory = (cfg: () => ResolvedConfig, log: (m: string) => void) => Promise<Backend>;

export class EngineState {
  cfg: ResolvedConfig;
  readonly queue: WaitQueue;
  fault: FaultPlan | null;
  requests = 0;
  inference = 0;
  inFlight = 0;
  readonly faultsByKind: Partial<Record<FaultKind, number>> = {};
  private llama: Promise<ActiveBackend> | null = null;
  private readonly paced: ActiveBackend;

  constructor(cfg: ResolvedConfig, private readonly llamaFactory: LlamaFactory, readonly log: (m: string) => void) {
    this.cfg = cfg;
    this.queue = new WaitQueue(cfg.maxQueue);
    this.fault = cfg.fault ? new FaultPlan(cfg.fault) : null;
    const backend = new PacedBackend(cfg.models, () => this.cfg.paced, () => ({ promptCache: this.cfg.promptCache }));
    this.paced = { backend, scheduler: new Scheduler(backend, cfg.parallel, this.queue, log) };
  }

  /** The backend serving the current mode (fault mode serves good requests like paced). */
  active(): Promise<ActiveBackend> {
    if (this.cfg.mode !== 'llama') return Promise.resolve(this.paced);
    if (!this.llama) {
      this.llama = this.llamaFactory(() => this.cfg, this.log).then((backend) => ({ backend, scheduler: new Scheduler(backend, this.cfg.parallel, this.queue, this.log) }));
      this.llama.catch(() => { this.llama = null; });
    }
    return this.llama;
  }

  async findModel(name: string): Promise<ModelEntry | undefined> {
    return (await this.active()).backend.models().find((m) => m.name === name);
  }

  configure(patch: EngineConfigPatch): void {
    this.cfg = applyPatch(this.cfg, patch);
    this.queue.maxQueue = this.cfg.maxQueue;
    // A new fault configuration (or a repeated one) starts counting requests afresh.
    if (patch.fault !== undefined) this.fault = this.cfg.fault ? new FaultPlan(this.cfg.fault) : null;
  }

  noteFault(kind: FaultKind): void {
    this.faultsByKind[kind] = (this.faultsByKind[kind] ?? 0) + 1;
  }

  async stats(): Promise<EngineStats> {
    const schedulers = [this.paced.scheduler];
    if (this.llama) schedulers.push((await this.llama).scheduler);
    return {
      mode: this.cfg.mode,
      requests: this.requests,
      inference: this.inference,
      inFlight: this.inFlight,
      waiting: this.queue.waiting,
      pending: this.queue.pending,
      rejectedBusy: this.queue.rejected,
      faultsInjected: Object.values(this.faultsByKind).reduce((a, b) => a + (b ?? 0), 0),
      faultsByKind: { ...this.faultsByKind },
      loads: schedulers.reduce((a, s) => a + s.loads, 0),
      unloads: schedulers.reduce((a, s) => a + s.unloads, 0),
    };
  }

  async dispose(): Promise<void> {
    await this.paced.scheduler.dispose();
    if (this.llama) {
      const l = await this.llama.catch(() => null);
      if (l) {
        await l.scheduler.dispose();
        await l.backend.dispose();
      }
    }
  }
}
