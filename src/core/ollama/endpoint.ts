// Endpoint checks made around runs: health, version, model presence and details, loaded models
// and memory (/api/ps), explicit load/unload, and a network round-trip estimate for queue_ms.
// Each failure throws a ChimeraError naming the endpoint URL and model and saying what to do.
import type { ModelResponse, ShowResponse } from 'ollama';
import type { GatewayClient } from './client';
import { classifyFailure } from './classify';
import { endpointError } from './endpointErrors';
import { RequestGuard } from './guard';
import { serverFieldsOf } from './serverFields';
import type { ServerFields } from '../types';

export interface CheckOptions {
  /** Silence limit for the request (ms), as in guard.ts. Default 10 s (load/unload: 5 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const CHECK_TIMEOUT_MS = 10_000;
const LOAD_TIMEOUT_MS = 300_000;

/** Runs one non-streamed request under a guard; failures become typed ChimeraErrors. */
async function guarded<T>(client: GatewayClient, op: string, model: string | undefined, opts: CheckOptions, defaultTimeout: number, fn: () => Promise<T>): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? defaultTimeout;
  const guard = new RequestGuard(client, { timeoutMs, signal: opts.signal, ndjson: false });
  try {
    if (guard.cancelled) throw new DOMException('cancelled before sending', 'AbortError');
    return await guard.run(fn);
  } catch (e) {
    const st = guard.state;
    const c = classifyFailure(e, {
      abortKind: guard.abortKind, timeoutMs, status: st.status, httpMessage: st.httpMessage, fetchFailed: st.fetchFailed,
      bodyError: st.bodyError, bodyEnded: st.bodyEnded, errorLine: false, malformed: false, sawDone: true, messages: 0, lines: 0,
    });
    throw endpointError(c, client, op, model, timeoutMs, e);
  } finally {
    guard.dispose();
  }
}

/** Ollama names default the tag to latest: "tiny" and "tiny:latest" are the same model. */
export function sameModel(a: string, b: string): boolean {
  const norm = (n: string): string => (n.includes(':') ? n : `${n}:latest`);
  return norm(a) === norm(b);
}

export interface Health {
  /** Round trip of GET / (ms). */
  ms: number;
  /** The body ("Ollama is running" for Ollama and the embedded engine). */
  text: string;
}

/** GET / (or HEAD /, which has no body): the cheapest request an Ollama server answers. */
export async function checkHealth(client: GatewayClient, opts: CheckOptions & { method?: 'GET' | 'HEAD' } = {}): Promise<Health> {
  return guarded(client, 'health check', undefined, opts, CHECK_TIMEOUT_MS, async () => {
    const t0 = client.clock.now();
    const res = await client.fetch(`${client.url}/`, { method: opts.method ?? 'GET' });
    const text = await res.text();
    // The observing fetch noted the status and message; the classifier reads them from there.
    if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
    return { ms: client.clock.now() - t0, text };
  });
}

export async function getVersion(client: GatewayClient, opts: CheckOptions = {}): Promise<string> {
  return guarded(client, 'version', undefined, opts, CHECK_TIMEOUT_MS, async () => (await client.ollama.version()).version);
}

/** GET /api/tags: the models installed on the endpoint. */
export async function listInstalled(client: GatewayClient, opts: CheckOptions = {}): Promise<ModelResponse[]> {
  return guarded(client, 'model list', undefined, opts, CHECK_TIMEOUT_MS, async () => (await client.ollama.list()).models);
}

export interface ModelInfo {
  name: string;
  digest: string | null;
  family: string | null;
  parameter_size: string | null;
  quantization_level: string | null;
  /** From model_info `<arch>.context_length` (the model's trained context). */
  context_length: number | null;
  capabilities: string[];
}

function contextLengthOf(show: ShowResponse): number | null {
  const info = show.model_info as unknown as Record<string, unknown> | undefined;
  if (!info) return null;
  const arch = info['general.architecture'];
  const v = typeof arch === 'string' ? info[`${arch}.context_length`] : undefined;
  return typeof v === 'number' ? v : null;
}

/** Model details: /api/show (404 → E_MODEL_NOT_FOUND) plus the digest from /api/tags. */
export async function showModel(client: GatewayClient, model: string, opts: CheckOptions = {}): Promise<ModelInfo> {
  const show = await guarded(client, 'show', model, opts, CHECK_TIMEOUT_MS, () => client.ollama.show({ model }));
  const tags = await guarded(client, 'list models', undefined, opts, CHECK_TIMEOUT_MS, () => client.ollama.list());
  const tag = tags.models.find((m) => sameModel(m.name, model) || sameModel(m.model, model));
  const d = show.details;
  return {
    name: tag?.name ?? model,
    digest: tag?.digest ?? null,
    family: d?.family || null,
    parameter_size: d?.parameter_size || null,
    quantization_level: d?.quantization_level || null,
    context_length: contextLengthOf(show),
    capabilities: Array.isArray((show as { capabilities?: unknown }).capabilities) ? (show as unknown as { capabilities: string[] }).capabilities : [],
  };
}

export interface LoadedModel {
  name: string;
  /** Memory of the runner (bytes), Ollama's estimate. */
  size: number;
  /** Part of it in GPU memory (bytes); 0 on CPU-only. */
  size_vram: number;
  /** none = CPU only (size_vram 0), full = all in VRAM, partial = 0 < size_vram < size. */
  offload: 'none' | 'partial' | 'full';
  partialOffload: boolean;
  /** As sent (a string at run time, whatever ollama-js' types say). */
  expires_at: string | null;
  context_length: number | null;
}

function offloadOf(size: number, vram: number): LoadedModel['offload'] {
  if (vram <= 0) return 'none';
  return vram >= size ? 'full' : 'partial';
}

/** Models loaded now and their memory (/api/ps). */
export async function listLoaded(client: GatewayClient, opts: CheckOptions = {}): Promise<LoadedModel[]> {
  const ps = await guarded(client, 'ps', undefined, opts, CHECK_TIMEOUT_MS, () => client.ollama.ps());
  return ps.models.map((m: ModelResponse) => {
    const raw = m as unknown as Record<string, unknown>;
    const size = typeof m.size === 'number' ? m.size : 0;
    const vram = typeof m.size_vram === 'number' ? m.size_vram : 0;
    const offload = offloadOf(size, vram);
    return {
      name: m.name,
      size,
      size_vram: vram,
      offload,
      partialOffload: offload === 'partial',
      expires_at: raw.expires_at === undefined || raw.expires_at === null ? null : String(raw.expires_at),
      context_length: typeof raw.context_length === 'number' ? raw.context_length : null,
    };
  });
}

export interface LoadResult {
  doneReason: string | null;
  /** Client round trip (ms). */
  ms: number;
  server: ServerFields;
}

/** Loads a model explicitly (empty prompt), optionally with load-time options and a keep_alive. */
export async function loadModel(client: GatewayClient, model: string, opts: CheckOptions & { keepAlive?: number | string; options?: Record<string, unknown> } = {}): Promise<LoadResult> {
  const t0 = client.clock.now();
  const res = await guarded(client, 'load', model, opts, LOAD_TIMEOUT_MS, () => client.ollama.generate({
    model, prompt: '', stream: false,
    ...(opts.keepAlive !== undefined ? { keep_alive: opts.keepAlive } : {}),
    ...(opts.options && Object.keys(opts.options).length > 0 ? { options: opts.options } : {}),
  }));
  return { doneReason: serverFieldsOf(res).done_reason, ms: client.clock.now() - t0, server: serverFieldsOf(res) };
}

/** Unloads a model now (empty prompt + keep_alive 0) — the real unload, unlike `ollama stop` of old. */
export async function unloadModel(client: GatewayClient, model: string, opts: CheckOptions = {}): Promise<LoadResult> {
  const t0 = client.clock.now();
  const res = await guarded(client, 'unload', model, opts, LOAD_TIMEOUT_MS, () => client.ollama.generate({ model, prompt: '', stream: false, keep_alive: 0 }));
  return { doneReason: serverFieldsOf(res).done_reason, ms: client.clock.now() - t0, server: serverFieldsOf(res) };
}
