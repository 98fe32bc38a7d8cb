// Engine configuration: one validated shape shared by the process flags, the programmatic API and the
// test-only admin route, so every way of configuring an engine accepts exactly the same things.
import { ChimeraError } from '../src/core/errors';
import { DEFAULT_KEEP_ALIVE_MS } from './server/protocol';

export type EngineMode = 'llama' | 'paced' | 'fault';
export type FaultKind = 'http404' | 'http500' | 'http503' | 'midstream' | 'reset' | 'stall' | 'nodone' | 'malformed' | 'split';
export const FAULT_KINDS: readonly FaultKind[] = ['http404', 'http500', 'http503', 'midstream', 'reset', 'stall', 'nodone', 'malformed', 'split'];

export interface PacedConfig {
  /** Time from slot start to the first token (reported as prompt_eval_duration). */
  ttftMs: number;
  tokensPerSec: number;
  tokens: number;
  /** Simulated model load on a cold request (reported as load_duration). */
  loadMs?: number;
  /** Prefill time per prompt token not served from the prompt cache, added to ttftMs (default 0). */
  prefillMsPerToken?: number;
}

export interface FaultConfig {
  kind: FaultKind;
  /** Inference requests served normally before the first fault (default 0). */
  afterGood?: number;
  /** Faulty requests after afterGood (default: all following). */
  count?: number;
  /** Chance that an eligible request is faulty, drawn from a PRNG seeded with `seed`. */
  probability?: number;
  seed?: number;
  /** How long a `stall` stops sending (default 60000). */
  stallMs?: number;
  /** Content tokens sent before a mid-stream fault (default: half of the tokens, at least 1). */
  atToken?: number;
}

export interface EngineConfig {
  mode?: EngineMode;
  host?: string;
  /** 0 = a free port. */
  port?: number;
  parallel?: number;
  maxQueue?: number;
  model?: 'tiny' | 'mid';
  /** Served model names (default: `<model>:latest`). A name whose base is `mid` serves the mid model. */
  models?: string[];
  /** Logit bias of the EOS token in the generated model: -20 never stops, 0..1 stops naturally. */
  eosBias?: number;
  /** Extra delay added to every llama model load, so cold and warm calls differ clearly. */
  loadDelayMs?: number;
  /**
   * Prompt (KV) cache reuse across requests, as real Ollama (default true): each slot keeps its last
   * prompt's state and a new prompt reuses the longest common token prefix. false: every request evaluates
   * its whole prompt and the final chunk has no prompt_eval_cached_count (older Ollama's shape).
   */
  promptCache?: boolean;
  /**
   * Thinking tokens a thinking variant (`<name>-think`) generates before its answer, when `think` is absent
   * or true (default 16; the request option `think_tokens` overrides). They count in eval_count and num_predict.
   */
  thinkTokens?: number;
  /** keep_alive of a request that sends none (Ollama's OLLAMA_KEEP_ALIVE; default 5 minutes). */
  keepAliveMs?: number;
  paced?: PacedConfig;
  fault?: FaultConfig;
}

/** What the admin route and validateConfig accept: paced keys may be partial; fault null clears it. */
export type EngineConfigPatch = Omit<EngineConfig, 'paced' | 'fault'> & { paced?: Partial<PacedConfig>; fault?: FaultConfig | null };

export type ResolvedConfig = Required<Omit<EngineConfig, 'fault'>> & { fault: FaultConfig | null };

export const DEFAULT_PACED: PacedConfig = { ttftMs: 50, tokensPerSec: 100, tokens: 32, loadMs: 0, prefillMsPerToken: 0 };

export function resolveConfig(c: EngineConfigPatch): ResolvedConfig {
  const model = c.model ?? 'tiny';
  return {
    mode: c.mode ?? 'llama',
    host: c.host ?? '127.0.0.1',
    port: c.port ?? 0,
    parallel: c.parallel ?? 1,
    maxQueue: c.maxQueue ?? 512,
    model,
    models: c.models && c.models.length > 0 ? c.models.map(normalizeModelName) : [`${model}:latest`],
    eosBias: c.eosBias ?? -20,
    loadDelayMs: c.loadDelayMs ?? 0,
    promptCache: c.promptCache ?? true,
    thinkTokens: c.thinkTokens ?? 16,
    keepAliveMs: c.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    paced: { ...DEFAULT_PACED, ...(c.paced ?? {}) },
    fault: c.fault ?? null,
  };
}

/** The running configuration after a patch; host, port and parallel are fixed once listening. */
export function applyPatch(cur: ResolvedConfig, p: EngineConfigPatch): ResolvedConfig {
  return {
    ...cur,
    mode: p.mode ?? cur.mode,
    maxQueue: p.maxQueue ?? cur.maxQueue,
    loadDelayMs: p.loadDelayMs ?? cur.loadDelayMs,
    promptCache: p.promptCache ?? cur.promptCache,
    thinkTokens: p.thinkTokens ?? cur.thinkTokens,
    paced: { ...cur.paced, ...(p.paced ?? {}) },
    fault: p.fault === undefined ? cur.fault : p.fault,
  };
}

/** `name` → `name:latest`, as Ollama does for a missing tag. */
export function normalizeModelName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  return name.slice(lastSlash + 1).includes(':') ? name : `${name}:latest`;
}

function bad(message: string, where: string): never {
  throw new ChimeraError('E_BAD_INPUT', message, { where, hint: 'see engine/README.md for the engine configuration' });
}

function num(v: unknown, where: string, opts: { int?: boolean; min?: number; max?: number } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${where} must be a number`, where);
  if (opts.int && !Number.isInteger(v)) bad(`${where} must be an integer`, where);
  if (opts.min !== undefined && v < opts.min) bad(`${where} must be >= ${opts.min}`, where);
  if (opts.max !== undefined && v > opts.max) bad(`${where} must be <= ${opts.max}`, where);
  return v;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${where} must be an object`, where);
  return v as Record<string, unknown>;
}

function only(o: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(`unknown key "${k}" (allowed: ${keys.join(', ')})`, `${where}.${k}`);
}

function validatePaced(v: unknown, where: string): Partial<PacedConfig> {
  const o = obj(v, where);
  only(o, ['ttftMs', 'tokensPerSec', 'tokens', 'loadMs', 'prefillMsPerToken'], where);
  const out: Partial<PacedConfig> = {};
  if (o.ttftMs !== undefined) out.ttftMs = num(o.ttftMs, `${where}.ttftMs`, { min: 0 });
  if (o.tokensPerSec !== undefined) out.tokensPerSec = num(o.tokensPerSec, `${where}.tokensPerSec`, { min: 0.001 });
  if (o.tokens !== undefined) out.tokens = num(o.tokens, `${where}.tokens`, { int: true, min: 0 });
  if (o.loadMs !== undefined) out.loadMs = num(o.loadMs, `${where}.loadMs`, { min: 0 });
  if (o.prefillMsPerToken !== undefined) out.prefillMsPerToken = num(o.prefillMsPerToken, `${where}.prefillMsPerToken`, { min: 0 });
  return out;
}

function validateFault(v: unknown, where: string): FaultConfig {
  const o = obj(v, where);
  only(o, ['kind', 'afterGood', 'count', 'probability', 'seed', 'stallMs', 'atToken'], where);
  if (!FAULT_KINDS.includes(o.kind as FaultKind)) bad(`${where}.kind must be one of ${FAULT_KINDS.join(', ')}`, `${where}.kind`);
  const out: FaultConfig = { kind: o.kind as FaultKind };
  if (o.afterGood !== undefined) out.afterGood = num(o.afterGood, `${where}.afterGood`, { int: true, min: 0 });
  if (o.count !== undefined) out.count = num(o.count, `${where}.count`, { int: true, min: 0 });
  if (o.probability !== undefined) out.probability = num(o.probability, `${where}.probability`, { min: 0, max: 1 });
  if (o.seed !== undefined) out.seed = num(o.seed, `${where}.seed`, { int: true });
  if (o.stallMs !== undefined) out.stallMs = num(o.stallMs, `${where}.stallMs`, { min: 0 });
  if (o.atToken !== undefined) out.atToken = num(o.atToken, `${where}.atToken`, { int: true, min: 0 });
  return out;
}

const CONFIG_KEYS = ['mode', 'host', 'port', 'parallel', 'maxQueue', 'model', 'models', 'eosBias', 'loadDelayMs', 'promptCache', 'thinkTokens', 'paced', 'fault'] as const;

/** Checks an untrusted (JSON) configuration; throws E_BAD_INPUT naming the key. */
export function validateConfig(v: unknown, where = 'config'): EngineConfigPatch {
  const o = obj(v, where);
  only(o, CONFIG_KEYS, where);
  const out: EngineConfigPatch = {};
  if (o.mode !== undefined) {
    if (o.mode !== 'llama' && o.mode !== 'paced' && o.mode !== 'fault') bad(`${where}.mode must be llama, paced or fault`, `${where}.mode`);
    out.mode = o.mode;
  }
  if (o.host !== undefined) {
    if (typeof o.host !== 'string' || o.host === '') bad(`${where}.host must be a non-empty string`, `${where}.host`);
    out.host = o.host;
  }
  if (o.port !== undefined) out.port = num(o.port, `${where}.port`, { int: true, min: 0, max: 65535 });
  if (o.parallel !== undefined) out.parallel = num(o.parallel, `${where}.parallel`, { int: true, min: 1, max: 64 });
  if (o.maxQueue !== undefined) out.maxQueue = num(o.maxQueue, `${where}.maxQueue`, { int: true, min: 0 });
  if (o.model !== undefined) {
    if (o.model !== 'tiny' && o.model !== 'mid') bad(`${where}.model must be tiny or mid`, `${where}.model`);
    out.model = o.model;
  }
  if (o.models !== undefined) {
    if (!Array.isArray(o.models) || o.models.some((m) => typeof m !== 'string' || m === '')) bad(`${where}.models must be a list of model names`, `${where}.models`);
    out.models = o.models as string[];
  }
  if (o.eosBias !== undefined) out.eosBias = num(o.eosBias, `${where}.eosBias`, { min: -100, max: 100 });
  if (o.loadDelayMs !== undefined) out.loadDelayMs = num(o.loadDelayMs, `${where}.loadDelayMs`, { min: 0 });
  if (o.thinkTokens !== undefined) out.thinkTokens = num(o.thinkTokens, `${where}.thinkTokens`, { int: true, min: 0 });
  if (o.promptCache !== undefined) {
    if (typeof o.promptCache !== 'boolean') bad(`${where}.promptCache must be true or false`, `${where}.promptCache`);
    out.promptCache = o.promptCache;
  }
  if (o.paced !== undefined) out.paced = validatePaced(o.paced, `${where}.paced`);
  if (o.fault !== undefined) out.fault = o.fault === null ? null : validateFault(o.fault, `${where}.fault`);
  return out;
}
