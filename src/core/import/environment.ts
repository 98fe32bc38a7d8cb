// The environment of an imported TR, only from what the original's files state (never guessed).
import { TOOL_NAME, TOOL_VERSION } from '../version';
import type { Environment } from '../types';
import type { EndpointNames } from './names';
import { num, obj, str } from './scan';
import type { OriginalEnvironment } from './types';

/** What the published reports (not the data) state about the hardware (ORIGINS.md §6). */
export const REPORTED_HARDWARE = {
  gpu: 'NVIDIA GeForce RTX 4080 Laptop GPU, 12 GB',
  cpu: 'Intel i9-13980HX',
  os: 'Windows 11',
  source: 'the original technical reports (ORIGINS.md §6); the result files state only what meta.environment shows',
};

export function newEnvironment(): OriginalEnvironment {
  return { gpus: [], models: [], endpoints: [], sources: [] };
}

function addSource(env: OriginalEnvironment, source: string): void {
  if (!env.sources.includes(source)) env.sources.push(source);
}

/** Rust `system_info {os, arch, rust_version, hostname}`; the first one seen wins. */
export function noteSystemInfo(env: OriginalEnvironment, raw: unknown, source: string): void {
  const si = obj(raw);
  if (!si || env.os !== undefined) return;
  env.os = str(si.os);
  env.arch = str(si.arch);
  env.hostname = str(si.hostname);
  env.rustVersion = str(si.rust_version);
  addSource(env, `system_info in ${source}`);
}

export function noteModel(env: OriginalEnvironment, model: string | undefined): void {
  if (model && !env.models.includes(model)) env.models.push(model);
}

/** A GPU named by the data itself (TR108 system metrics: NVML name and memory). */
export function noteGpu(env: OriginalEnvironment, raw: unknown, source: string): void {
  const g = obj(raw);
  const name = str(g?.name);
  if (!g || !name || env.gpus.some((x) => x.name === name)) return;
  const mem = num(g.memory_total_mb);
  env.gpus.push(mem !== undefined ? { name, memoryTotalMb: mem } : { name });
  addSource(env, `GPU sample in ${source}`);
}

/** Our Environment contract; numbers the original did not record are NaN (stored as null in JSON). */
export function toEnvironment(env: OriginalEnvironment, endpoints: EndpointNames): Environment {
  const models = env.models.map((name) => ({ name, digest: null, parameter_size: null, quantization_level: null }));
  const urls = endpoints.urls();
  return {
    endpoints: urls.length
      ? urls.map((url) => ({ name: endpoints.name(url), url, version: null, models }))
      : [{ name: 'default', url: 'unknown', version: null, models }],
    host: {
      os: env.os ?? 'unknown',
      arch: env.arch ?? 'unknown',
      cpus: NaN,
      memoryBytes: NaN,
      node: 'n/a (original program)',
      ...(env.hostname ? { hostname: env.hostname } : {}),
    },
    gpus: env.gpus.map((g) => ({ ...g })),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
  };
}
