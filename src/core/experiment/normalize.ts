// Normalisation: defaults filled in, sweep expanded into named variants, prompts file read.
// The normalised experiment (and its hash) is what meta.json records as "the experiment as run".
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ChimeraError } from '../errors';
import { validateEndpointUrl } from '../ollama/url';
import { confinedPath } from '../trust/paths';
import type { OllamaOptions } from '../types';
import { DEFAULT_COLD_THRESHOLD_MS } from '../metrics/callMetrics';
import { normalizeCapacity } from '../capacity/normalize';
import { endpointServers, endpointUrls } from './endpoints';
import type { CallSettings, ExperimentFile, NormalizedAgent, NormalizedExperiment, NormalizedVariant, Workflow } from './types';

export const DEFAULTS = {
  model: 'gemma3:latest',
  endpoint: 'http://127.0.0.1:11434',
  repetitions: 5,
  warmup: 1,
  order: 'interleaved',
  seed: 42,
  timeoutMs: 120_000,
  /** Ollama allows a model load 5 minutes (OLLAMA_LOAD_TIMEOUT) and sends nothing before the first token. */
  firstByteTimeoutMs: 300_000,
  coldThresholdMs: DEFAULT_COLD_THRESHOLD_MS,
  retry: { attempts: 2, delayMs: 500 },
  contention: { rule: 'overlap-speedup-below', threshold: 1.5 },
} as const;

/** Short names used in sweep variant names, as the original program's folders (gpu60_ctx512_temp0p8). */
const SHORT: Record<string, string> = {
  num_gpu: 'gpu', num_ctx: 'ctx', temperature: 'temp', top_p: 'topp', top_k: 'topk', num_batch: 'batch',
  num_thread: 'thread', repeat_penalty: 'rp', num_predict: 'np', seed: 'seed', min_p: 'minp',
};

/** 0.8 → "0p8", -1 → "m1", true → "true": safe in file names, no dots. */
export function formatSweepValue(v: number | string | boolean): string {
  return String(v).replace(/\./g, 'p').replace(/^-/, 'm').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Cartesian product in key order; the first key varies slowest (gpu60_ctx512…, gpu60_ctx1024…). */
export function expandSweep(sweep: Record<string, (number | string | boolean)[]>): { name: string; options: OllamaOptions }[] {
  let combos: { parts: string[]; options: OllamaOptions }[] = [{ parts: [], options: {} }];
  for (const [key, values] of Object.entries(sweep)) {
    const short = SHORT[key] ?? key.replace(/_/g, '');
    combos = combos.flatMap((c) => values.map((v) => ({ parts: [...c.parts, `${short}${formatSweepValue(v)}`], options: { ...c.options, [key]: v } })));
  }
  return combos.map((c) => ({ name: c.parts.join('_'), options: c.options }));
}

function withMaxTokens(options: OllamaOptions, maxTokens: number | null): OllamaOptions {
  if (maxTokens === null || 'num_predict' in options) return options;
  return { ...options, num_predict: maxTokens };
}

function readPrompts(x: ExperimentFile, baseDir: string, workspaceDir: string, trusted: boolean): string[] {
  if (x.prompts) return x.prompts;
  if (!x.promptsFile) return [];
  // Workspace Trust: an experiment file must not read (and send to an endpoint) a file outside the workspace.
  const file = confinedPath(x.promptsFile, baseDir, { workspaceDir, trusted, field: 'promptsFile' });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChimeraError('E_BAD_INPUT', `promptsFile ${x.promptsFile} cannot be read`, { where: `promptsFile (${file})`, cause: e, hint: 'give a path relative to the experiment file' });
  }
  const prompts = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (prompts.length === 0) throw new ChimeraError('E_BAD_INPUT', `promptsFile ${file} has no prompts`, { where: 'promptsFile', hint: 'write one prompt per line' });
  return prompts;
}

/** "cold", except for kind command, whose program sends its own prompts as written (see load.ts). */
function defaultPromptCache(x: ExperimentFile): 'cold' | 'warm' {
  return x.kind === 'command' ? 'warm' : 'cold';
}

/** A variant's call settings: its own, else the experiment's; promptCache defaults to "cold". */
function callSettings(x: ExperimentFile, v: CallSettings = {}): Pick<NormalizedVariant, 'promptCache' | 'think' | 'format'> {
  const think = v.think ?? x.think;
  const format = v.format ?? x.format;
  return { promptCache: v.promptCache ?? x.promptCache ?? defaultPromptCache(x), ...(think !== undefined ? { think } : {}), ...(format !== undefined ? { format } : {}) };
}

function variantsOf(x: ExperimentFile, model: string, maxTokens: number | null): NormalizedVariant[] {
  const base = x.options ?? {};
  const declared: NormalizedVariant[] = (x.variants ?? []).map((v) => ({
    name: v.name,
    options: withMaxTokens({ ...base, ...(v.options ?? {}) }, maxTokens),
    model: v.model ?? model,
    ...(v.agentOptions ? { agentOptions: v.agentOptions } : {}),
    ...(v.server ? { server: v.server } : {}),
    source: 'declared' as const,
    ...callSettings(x, v),
  }));
  const swept: NormalizedVariant[] = x.sweep
    ? expandSweep(x.sweep).map((s) => ({ name: s.name, options: withMaxTokens({ ...base, ...s.options }, maxTokens), model, source: 'sweep' as const, ...callSettings(x) }))
    : [];
  const all = [...declared, ...swept];
  const seen = new Set<string>();
  for (const v of all) {
    if (seen.has(v.name)) throw new ChimeraError('E_BAD_INPUT', `variant name "${v.name}" is produced twice (declared and by the sweep)`, { where: 'variants / sweep', hint: 'rename the declared variant' });
    seen.add(v.name);
  }
  if (all.length > 0) return all;
  return [{ name: 'default', options: withMaxTokens({ ...base }, maxTokens), model, source: 'default', ...callSettings(x) }];
}

/** command kind: every implementation runs every option variant; names are impl or impl@variant. */
function commandVariants(x: ExperimentFile, optionVariants: NormalizedVariant[]): NormalizedVariant[] {
  const single = optionVariants.length === 1 && optionVariants[0].source === 'default';
  return (x.implementations ?? []).flatMap((impl) =>
    optionVariants.map((v) => ({ ...v, name: single ? impl.name : `${impl.name}@${v.name}`, implementation: impl.name, source: 'implementation' as const })),
  );
}

/** Rules that compare with the solo runs; without the sequential baseline they could never be decided. */
const RULES_NEEDING_SOLO = new Set(['speedup-below', 'ttft-above-solo']);

function checkContentionRule(x: ExperimentFile): void {
  const rule = x.contention?.rule;
  if (x.kind !== 'multi-agent' || x.sequentialBaseline !== false || rule === undefined || !RULES_NEEDING_SOLO.has(rule)) return;
  throw new ChimeraError('E_BAD_INPUT', `contention rule "${rule}" needs the sequential baseline, which this experiment turns off (sequentialBaseline: false): no run could ever be decided`, {
    where: 'contention.rule',
    hint: 'set "sequentialBaseline": true (the default), or use the rule "overlap-speedup-below", which needs no solo runs',
  });
}

/** A fixed count, or adaptive repetitions planned from `min` (the runner adds rounds up to `max`). */
function repetitionsOf(x: ExperimentFile): Pick<NormalizedExperiment, 'repetitions' | 'adaptive'> {
  const r = x.repetitions;
  if (r === undefined || typeof r === 'number') return { repetitions: r ?? DEFAULTS.repetitions };
  return { repetitions: r.min, adaptive: { min: r.min, max: r.max, until: { metric: r.until.metric, ciHalfWidthPct: r.until.ciHalfWidthPct } } };
}

const DEFAULT_WORKFLOW: Workflow = { type: 'report-agent', inputs: [] };

export interface NormalizeOptions {
  sourceFile?: string;
  /** The workspace folder (default: the experiment file's folder): files the experiment reads must be inside it. */
  workspaceDir?: string;
  endpointOverrides?: Record<string, string>;
  /** Workspace Trust (default true, as on the command line): untrusted, nothing outside the workspace is read. */
  trusted?: boolean;
}

export function normalizeExperiment(x: ExperimentFile, opts: NormalizeOptions = {}): NormalizedExperiment {
  const baseDir = opts.sourceFile ? dirname(resolve(opts.sourceFile)) : process.cwd();
  const workspaceDir = opts.workspaceDir ?? baseDir;
  checkContentionRule(x);
  const model = x.model ?? DEFAULTS.model;
  const maxTokens = x.maxTokens ?? null;
  const endpoints: Record<string, string> = { default: DEFAULTS.endpoint, ...endpointUrls(x.endpoints), ...(opts.endpointOverrides ?? {}) };
  // Overrides (--endpoint, settings) bypass the schema: every URL is checked here, used or not, before anything runs.
  for (const [name, url] of Object.entries(endpoints)) validateEndpointUrl(name, url);
  // A managed endpoint is reached where its server listens (the server binds 127.0.0.1, whatever loopback name the URL used).
  const servers = endpointServers(x, endpoints);
  for (const [name, s] of Object.entries(servers ?? {})) endpoints[name] = `http://127.0.0.1:${s.port}`;
  const optionVariants = variantsOf(x, model, maxTokens);
  const variants = x.kind === 'command' ? commandVariants(x, optionVariants) : optionVariants;
  const workflow = x.workflow ?? (x.kind === 'agent' ? DEFAULT_WORKFLOW : undefined);
  const agents: NormalizedAgent[] | undefined = x.agents?.map((a) => ({
    name: a.name,
    endpoint: a.endpoint ?? 'default',
    model: a.model ?? model,
    options: withMaxTokens({ ...(x.options ?? {}), ...(a.options ?? {}) }, maxTokens),
    workflow: a.workflow ?? workflow ?? DEFAULT_WORKFLOW,
  }));
  const n: NormalizedExperiment = {
    title: x.title,
    ...(x.description ? { description: x.description } : {}),
    kind: x.kind,
    model,
    endpoints,
    ...(servers ? { endpointServers: servers } : {}),
    endpoint: x.endpoint ?? 'default',
    api: x.api ?? 'generate',
    stream: x.stream ?? true,
    ...(x.system ? { system: x.system } : {}),
    prompts: readPrompts(x, baseDir, workspaceDir, opts.trusted ?? true),
    variants,
    ...(x.sweep ? { sweep: x.sweep } : {}),
    ...repetitionsOf(x),
    // capacity warms up by time (load.warmupS), not by warm-up runs.
    warmup: x.kind === 'capacity' ? 0 : (x.warmup ?? DEFAULTS.warmup),
    order: x.order ?? DEFAULTS.order,
    seed: x.seed ?? DEFAULTS.seed,
    cooldownMs: x.cooldownMs ?? 0,
    unloadBetweenVariants: x.unloadBetweenVariants ?? false,
    maxTokens,
    minOutputTokens: x.minOutputTokens ?? null,
    timeoutMs: x.timeoutMs ?? DEFAULTS.timeoutMs,
    firstByteTimeoutMs: x.firstByteTimeoutMs ?? DEFAULTS.firstByteTimeoutMs,
    ...(x.keepAlive !== undefined ? { keepAlive: x.keepAlive } : {}),
    coldThresholdMs: x.coldThresholdMs ?? DEFAULTS.coldThresholdMs,
    coldRuns: x.coldRuns ?? 'exclude',
    promptCache: x.promptCache ?? defaultPromptCache(x),
    retry: { attempts: x.retry?.attempts ?? DEFAULTS.retry.attempts, delayMs: x.retry?.delayMs ?? DEFAULTS.retry.delayMs },
    ...(x.outputTexts ? { outputTexts: { every: x.outputTexts.every ?? 1, maxBytes: x.outputTexts.maxBytes ?? null } } : {}),
    ...(workflow ? { workflow } : {}),
    ...(agents ? { agents } : {}),
    sequentialBaseline: x.sequentialBaseline ?? true,
    contention: { rule: x.contention?.rule ?? DEFAULTS.contention.rule, threshold: x.contention?.threshold ?? DEFAULTS.contention.threshold },
    ...(x.implementations ? { implementations: x.implementations } : {}),
    ...(x.kind === 'capacity' && x.load ? { capacity: normalizeCapacity(x, x.seed ?? DEFAULTS.seed, x.endpoint ?? 'default') } : {}),
    ...(x.tr ? { tr: x.tr } : {}),
    ...(x.supersedes ? { supersedes: x.supersedes } : {}),
    ...(x.tags ? { tags: x.tags } : {}),
    ...(opts.sourceFile ? { sourceFile: resolve(opts.sourceFile) } : {}),
    workspaceDir,
  };
  return n;
}

/** JSON with sorted keys, so equal experiments hash equally whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** sha256 of the normalised experiment, without machine-local paths (same experiment → same hash anywhere). */
export function experimentHash(n: NormalizedExperiment): string {
  const { sourceFile: _s, workspaceDir: _w, ...portable } = n;
  return `sha256:${createHash('sha256').update(canonicalJson(portable)).digest('hex')}`;
}
