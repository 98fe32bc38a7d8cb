// Resource samples around runs (PRODUCT.md §3 "Memory"): nvidia-smi every second while the experiment
// runs (when the binary answers; written to gpu.jsonl, per-run maxima on the run record), and Ollama's
// /api/ps after each run (model memory, VRAM part, partial offload).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors';
import { createGatewayClient } from '../ollama/client';
import { listLoaded } from '../ollama/endpoint';
import { sampleGpus, type GpuSample } from '../store/environment';
import type { NormalizedExperiment } from '../experiment/types';
import type { Clock } from '../ports';
import type { GpuRunSummary, LoadedModelSample } from '../types';
import { modelsByEndpoint } from './preflightAll';

export const GPU_SAMPLE_INTERVAL_MS = 1000;

function max(values: (number | undefined)[]): number | null {
  const v = values.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
}

/** Periodic nvidia-smi sampling; `start` returns null when nvidia-smi is absent (no GPU is not an error). */
export class GpuSampler {
  private readonly samples: { t: number; gpus: GpuSample[] }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  private constructor(private readonly file: string, private readonly clock: Clock, private readonly probe: () => Promise<GpuSample[]>) {}

  static async start(trDir: string, clock: Clock, intervalMs = GPU_SAMPLE_INTERVAL_MS, probe: () => Promise<GpuSample[]> = () => sampleGpus()): Promise<GpuSampler | null> {
    const asked = clock.now();
    const first = await probe();
    if (first.length === 0) return null;
    const s = new GpuSampler(join(trDir, 'gpu.jsonl'), clock, probe);
    s.record(first, asked);
    s.timer = setInterval(() => void s.tick(), intervalMs);
    s.timer.unref();
    return s;
  }

  /** `t` is when nvidia-smi was asked: a sample asked before a run started belongs to the time before it. */
  private record(gpus: GpuSample[], t: number): void {
    this.samples.push({ t, gpus });
    appendFileSync(this.file, `${JSON.stringify({ at: this.clock.isoNow(), gpus })}\n`);
  }

  private async tick(): Promise<void> {
    if (this.busy) return; // a slow nvidia-smi never stacks up calls
    this.busy = true;
    try {
      const asked = this.clock.now();
      const gpus = await this.probe();
      if (gpus.length) this.record(gpus, asked);
    } finally {
      this.busy = false;
    }
  }

  /** Samples held now (for the bounded-memory test). */
  get held(): number {
    return this.samples.length;
  }

  /**
   * Maxima over the samples taken between two monotonic times (a run), all GPUs together; only samples
   * asked for during the run (a sample from before it would carry the previous run's load). Null when
   * the run was shorter than the sampling interval and no sample fell inside it.
   */
  summaryBetween(t0: number, t1: number): GpuRunSummary | null {
    // Runs come in order: samples before this run's window are never asked for again (memory stays flat).
    const keepFrom = this.samples.findIndex((s) => s.t >= t0);
    this.samples.splice(0, keepFrom < 0 ? this.samples.length : keepFrom);
    const inRun = this.samples.filter((s) => s.t <= t1);
    if (inRun.length === 0) return null;
    const gpus = inRun.flatMap((s) => s.gpus);
    return {
      samples: inRun.length,
      util_max_pct: max(gpus.map((g) => g.utilizationPct)),
      mem_used_max_mb: max(gpus.map((g) => g.memoryUsedMb)),
      temp_max_c: max(gpus.map((g) => g.temperatureC)),
      power_max_w: max(gpus.map((g) => g.powerW)),
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** /api/ps of one endpoint right after a run: the loaded models, or why they are unknown. */
export type PsAfterRun = Map<string, LoadedModelSample[] | { error: string }>;

/** /api/ps of every endpoint the experiment uses, right after a run; a failure is kept as its message (never fails a run). */
export async function psAfterRun(x: NormalizedExperiment, clock: Clock): Promise<PsAfterRun> {
  const out: PsAfterRun = new Map();
  for (const name of modelsByEndpoint(x).keys()) {
    const client = createGatewayClient({ url: x.endpoints[name], name, clock });
    try {
      out.set(name, (await listLoaded(client, { timeoutMs: 2000 })).map((m) => ({ endpoint: name, name: m.name, size: m.size, size_vram: m.size_vram, offload: m.offload, context_length: m.context_length })));
    } catch (e) {
      out.set(name, { error: errorMessage(e) });
    } finally {
      client.abort();
    }
  }
  return out;
}

/** The run record's loadedModels: every endpoint that answered (one that did not is reported by the next call, not here). */
export function loadedModelsOf(ps: PsAfterRun): LoadedModelSample[] {
  return [...ps.values()].flatMap((v) => (Array.isArray(v) ? v : []));
}
