// engine.tokens_per_s: decode rate of the embedded llama.cpp engine (generated tiny and mid models, CPU,
// one thread) through HTTP — eval_count / eval_duration as the server reports it, and the client's view
// (tokens over first content chunk → end). Context for users; no goal.
import { startEngine } from '../engine/api';
import { bareGenerate } from './lib/bareReader';
import { spreadOf, type Spread } from './lib/stats';

export interface EngineRate { num_predict: number; server_tokens_per_s: Spread; client_tokens_per_s: Spread }
export interface EngineResult { threads: number; tiny: EngineRate; mid: EngineRate }

const NUM_PREDICT = 128;

export async function measureEngine(o: { reps: number }, log: (s: string) => void): Promise<EngineResult> {
  const e = await startEngine({ mode: 'llama', models: ['tiny:latest', 'mid:latest'], eosBias: -20 }, { startTimeoutMs: 120_000 });
  try {
    const rate = async (model: string): Promise<EngineRate> => {
      const body = { model, prompt: 'Summarise the benchmark results in one paragraph.', options: { num_predict: NUM_PREDICT, seed: 1, temperature: 0 } };
      await bareGenerate(e.url, body); // load the model; not kept
      const server: number[] = [];
      const client: number[] = [];
      for (let i = 0; i < o.reps; i++) {
        const r = await bareGenerate(e.url, body);
        if (r.evalCount === 0 || r.firstTokenMs === null) throw new Error(`engine: ${model} generated nothing`);
        server.push(r.evalCount / (r.evalDurationNs / 1e9));
        client.push(r.tokens / ((r.endMs - r.firstTokenMs) / 1000));
      }
      const out = { num_predict: NUM_PREDICT, server_tokens_per_s: spreadOf(server), client_tokens_per_s: spreadOf(client) };
      log(`engine ${model}: ${out.server_tokens_per_s.median.toFixed(0)} tok/s (server)`);
      return out;
    };
    return { threads: 1, tiny: await rate('tiny:latest'), mid: await rate('mid:latest') };
  } finally {
    await e.stop();
  }
}
