// Before anything is written: every endpoint the experiment uses answers and has every model it needs.
// A failure here is E_UNREACHABLE / E_MODEL_NOT_FOUND naming the endpoint and model (CLI exit 3).
import { ChimeraError, type ErrorCode } from '../errors';
import { createGatewayClient } from '../ollama/client';
import { preflight } from '../ollama/probe';
import type { NormalizedExperiment } from '../experiment/types';
import type { Clock } from '../ports';
import type { EndpointInfo } from '../types';
import { checkThinkCapable } from './thinkCheck';

/** Endpoint name → models the experiment will call there. */
export function modelsByEndpoint(x: NormalizedExperiment): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  const add = (ep: string, model: string): void => {
    if (!m.has(ep)) m.set(ep, new Set());
    m.get(ep)!.add(model);
  };
  if (x.kind === 'multi-agent') {
    for (const a of x.agents ?? []) add(a.endpoint, a.model);
  } else if (x.kind === 'command') {
    for (const i of x.implementations ?? []) {
      for (const v of x.variants.filter((v) => v.implementation === i.name)) add(i.endpoint ?? x.endpoint, v.model);
    }
  } else {
    // capacity spreads its requests over load.endpoints: each must serve every variant's model.
    // Variants on a managed server are checked when their server has started, not here.
    for (const ep of x.capacity?.load.endpoints ?? [x.endpoint]) for (const v of x.variants.filter((v) => !v.server)) add(ep, v.model);
  }
  return m;
}

// Codes that already say what is wrong before a run; any other endpoint failure here (a server that is
// not Ollama, an HTTP 500, no answer in time) also means the endpoint is unavailable: CLI exit 3, not 1.
const PREFLIGHT_CODES: readonly ErrorCode[] = ['E_UNREACHABLE', 'E_MODEL_NOT_FOUND', 'E_BAD_INPUT', 'E_ABORTED'];

function unavailable(e: unknown): unknown {
  if (!(e instanceof ChimeraError) || PREFLIGHT_CODES.includes(e.code)) return e;
  return new ChimeraError('E_UNREACHABLE', e.message, {
    ...(e.where ? { where: e.where } : {}), ...(e.hint ? { hint: e.hint } : {}), ...(e.status !== undefined ? { status: e.status } : {}), cause: e,
  });
}

export interface PreflightResult { endpoints: EndpointInfo[]; rttMs: Record<string, number | null> }

export async function preflightAll(x: NormalizedExperiment, clock: Clock, signal?: AbortSignal, fetchImpl?: typeof fetch): Promise<PreflightResult> {
  const endpoints: EndpointInfo[] = [];
  const rttMs: Record<string, number | null> = {};
  // A managed endpoint is checked (and recorded) even when no model is called there: its server was started for this experiment.
  const checked = modelsByEndpoint(x);
  for (const name of Object.keys(x.endpointServers ?? {})) if (!checked.has(name)) checked.set(name, new Set());
  for (const [name, models] of checked) {
    const client = createGatewayClient({ url: x.endpoints[name], name, clock, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    try {
      const wanted = [...models];
      const p = await preflight(client, wanted, { ...(signal ? { signal } : {}) }).catch((e: unknown) => {
        throw unavailable(e);
      });
      checkThinkCapable(x, name, wanted, p.models);
      endpoints.push({
        name,
        url: client.url,
        version: p.version,
        models: p.models.map((m) => ({ name: m.name, digest: m.digest, parameter_size: m.parameter_size, quantization_level: m.quantization_level, family: m.family })),
      });
      rttMs[name] = p.rttMs;
    } finally {
      client.abort();
    }
  }
  return { endpoints, rttMs };
}
