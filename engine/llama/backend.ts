// The llama.cpp backend: generated GGUF models served through node-llama-cpp on the CPU, one thread
// (on 2 shared cores more threads made a tiny model ~1000x slower).
import type { Llama } from 'node-llama-cpp';
import type { ResolvedConfig } from '../config';
import { stat } from 'node:fs/promises';
import { ensureModelFile, specFor, type ModelFile } from '../gguf/cache';
import { capabilitiesOf, parameterSize, sleep, type Backend, type ModelEntry, type Runner, type RunnerBehaviour } from '../server/backend';
import type { RunnerOptions } from '../server/protocol';
import { LlamaRunner } from './runner';

/** The preset a served name uses: a base name `mid` serves the mid model, others the configured one. */
export function presetFor(name: string, fallback: 'tiny' | 'mid'): 'tiny' | 'mid' {
  // A thinking variant (`tiny-think`) serves the same weights.
  const base = name.slice(name.lastIndexOf('/') + 1).split(':')[0].replace(/-think$/, '');
  return base === 'mid' ? 'mid' : base === 'tiny' ? 'tiny' : fallback;
}

function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

class LlamaBackend implements Backend {
  readonly kind = 'llama' as const;

  constructor(private readonly llama: Llama, private readonly entries: ModelEntry[], private readonly files: Map<string, ModelFile>,
    private readonly loadDelayMs: () => number, private readonly behaviour: () => RunnerBehaviour) {}

  models(): ModelEntry[] {
    return this.entries;
  }

  async load(entry: ModelEntry, opts: RunnerOptions, parallel: number, signal: AbortSignal): Promise<Runner> {
    const file = this.files.get(entry.name);
    if (!file) throw new Error(`no model file for ${entry.name}`);
    if (this.loadDelayMs() > 0) await sleep(this.loadDelayMs(), signal);
    const model = await this.llama.loadModel({ modelPath: file.path, gpuLayers: 0, useMmap: opts.use_mmap });
    try {
      const perSlot = Math.min(opts.num_ctx, model.trainContextSize);
      const context = await model.createContext({
        contextSize: perSlot * parallel,
        sequences: parallel,
        threads: 1,
        batchSize: Math.min(opts.num_batch, perSlot * parallel),
      });
      return new LlamaRunner(model, context, perSlot, file.size, this.behaviour);
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  async dispose(): Promise<void> {
    await this.llama.dispose();
  }
}

export async function createLlamaBackend(getCfg: () => ResolvedConfig, log: (m: string) => void): Promise<Backend> {
  const cfg = getCfg();
  const { getLlama, readGgufFileInfo, LlamaLogLevel } = await import('node-llama-cpp');
  const files = new Map<string, ModelFile>();
  const entries: ModelEntry[] = [];
  for (const name of cfg.models) {
    const file = await ensureModelFile(specFor(presetFor(name, cfg.model), cfg.eosBias));
    if (file.created) log(`generated ${file.path} (${file.size} bytes)`);
    const info = await readGgufFileInfo(file.path, { readTensorInfo: false });
    const meta = flatten(info.metadata as unknown as Record<string, unknown>);
    files.set(name, file);
    entries.push({
      name,
      size: file.size,
      digest: file.digest,
      modifiedAt: (await stat(file.path)).mtime.toISOString(),
      details: {
        parent_model: '', format: 'gguf', family: 'llama', families: ['llama'],
        parameter_size: parameterSize(Number(meta['general.parameter_count'] ?? 0)), quantization_level: 'F32',
      },
      modelInfo: meta,
      capabilities: capabilitiesOf(name),
    });
  }
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, logger: (_level, msg) => log(`llama.cpp: ${msg.trimEnd()}`) });
  return new LlamaBackend(llama, entries, files, () => getCfg().loadDelayMs, () => ({ promptCache: getCfg().promptCache }));
}
