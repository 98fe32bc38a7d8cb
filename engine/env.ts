// Ollama's server environment variables the engine honours, so a managed server (the capacity kind's
// `server.env`) can sweep them: OLLAMA_NUM_PARALLEL (slots per model), OLLAMA_MAX_QUEUE (requests queued
// behind a load before 503) and OLLAMA_KEEP_ALIVE (default keep_alive, Go duration or seconds).
// Command-line flags and --config-json win over the environment.
import { ChimeraError } from '../src/core/errors';
import type { EngineConfigPatch } from './config';
import { parseKeepAlive } from './server/protocol';

export const HONOURED_ENV = ['OLLAMA_NUM_PARALLEL', 'OLLAMA_MAX_QUEUE', 'OLLAMA_KEEP_ALIVE'] as const;

function positiveInt(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ChimeraError('E_BAD_INPUT', `${name}=${v} is not an integer ≥ ${min}`, { where: `environment ${name}`, hint: `set ${name} to a whole number, or unset it` });
  return n;
}

/** The configuration the environment asks for, and the variables it used (reported on start). */
export function envConfig(env: NodeJS.ProcessEnv): { patch: EngineConfigPatch; applied: Record<string, string> } {
  const patch: EngineConfigPatch = {};
  const applied: Record<string, string> = {};
  const np = env.OLLAMA_NUM_PARALLEL;
  if (np !== undefined && np !== '') {
    patch.parallel = positiveInt('OLLAMA_NUM_PARALLEL', np, 1);
    applied.OLLAMA_NUM_PARALLEL = np;
  }
  const mq = env.OLLAMA_MAX_QUEUE;
  if (mq !== undefined && mq !== '') {
    patch.maxQueue = positiveInt('OLLAMA_MAX_QUEUE', mq, 0);
    applied.OLLAMA_MAX_QUEUE = mq;
  }
  const ka = env.OLLAMA_KEEP_ALIVE;
  if (ka !== undefined && ka !== '') {
    // Ollama reads it as a Go duration or whole seconds; a bare number string is seconds here.
    let ms: number | undefined;
    try {
      ms = parseKeepAlive(/^-?\d+$/.test(ka) ? Number(ka) : ka);
    } catch {
      ms = undefined;
    }
    if (ms === undefined) throw new ChimeraError('E_BAD_INPUT', `OLLAMA_KEEP_ALIVE=${ka} is not a duration`, { where: 'environment OLLAMA_KEEP_ALIVE', hint: 'use seconds or a Go duration such as 5m, 300s, -1s' });
    patch.keepAliveMs = ms;
    applied.OLLAMA_KEEP_ALIVE = ka;
  }
  return { patch, applied };
}

/** The environment without the honoured variables (engines started with an explicit configuration). */
export function withoutHonouredEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of HONOURED_ENV) delete out[k];
  return out;
}
