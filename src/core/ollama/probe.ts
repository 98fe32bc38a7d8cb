// Composite endpoint checks: the round-trip estimate behind queue_ms, the environment block of
// meta.json, and the preflight a run makes before anything is measured.
import { errorMessage } from '../errors';
import type { EndpointInfo } from '../types';
import type { GatewayClient } from './client';
import { checkHealth, getVersion, showModel, type CheckOptions, type ModelInfo } from './endpoint';

/**
 * Network round trip (ms): the median of `samples` HEAD / requests (Ollama answers them without
 * touching a model). The first request opens the connection and is not counted.
 */
export async function estimateRtt(client: GatewayClient, opts: CheckOptions & { samples?: number } = {}): Promise<number> {
  const samples = Math.max(1, opts.samples ?? 5);
  await checkHealth(client, { ...opts, method: 'HEAD' });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push((await checkHealth(client, { ...opts, method: 'HEAD' })).ms);
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** meta.json `environment.endpoints[]` entry. Never throws for endpoint failures: they go in `error`. */
export async function describeEndpoint(client: GatewayClient, models: readonly string[], opts: CheckOptions = {}): Promise<EndpointInfo> {
  const info: EndpointInfo = { name: client.name, url: client.url, version: null, models: [] };
  try {
    info.version = await getVersion(client, opts);
  } catch (e) {
    info.error = errorMessage(e);
    return info;
  }
  for (const model of models) {
    try {
      const m = await showModel(client, model, opts);
      info.models.push({ name: m.name, digest: m.digest, parameter_size: m.parameter_size, quantization_level: m.quantization_level, family: m.family });
    } catch (e) {
      info.models.push({ name: model, digest: null, parameter_size: null, quantization_level: null });
      info.error = info.error ? `${info.error}; ${errorMessage(e)}` : errorMessage(e);
    }
  }
  return info;
}

export interface Preflight {
  version: string;
  models: ModelInfo[];
  rttMs: number;
}

/** Before a run: the endpoint answers and has every model. Throws the first typed failure. */
export async function preflight(client: GatewayClient, models: readonly string[], opts: CheckOptions = {}): Promise<Preflight> {
  const version = await getVersion(client, opts);
  const infos: ModelInfo[] = [];
  for (const model of models) infos.push(await showModel(client, model, opts));
  const rttMs = await estimateRtt(client, opts);
  return { version, models: infos, rttMs };
}
