// The experiment as written (ExperimentFile, PRODUCT.md §2.0) and as run (NormalizedExperiment).
import type { FormatSetting, OllamaOptions, OutputTextPolicy, PromptCacheMode, ThinkSetting } from '../types';
import type { LoadSpec, NormalizedCapacity, ServerSpec, Slo, StopSpec } from '../capacity/types';

/** An endpoint as written: its URL, or the URL and the managed server the harness runs there for the whole experiment (PRODUCT.md §11.4). */
export type EndpointEntry = string | { url: string; server?: ServerSpec };

export type ExperimentKind = 'prompt' | 'agent' | 'multi-agent' | 'command' | 'capacity';
export type RunOrder = 'interleaved' | 'sequential' | 'random';
export type ContentionRuleName = 'overlap-speedup-below' | 'speedup-below' | 'ttft-above-solo';

export interface WorkflowStep { name: string; prompt: string; system?: string; options?: OllamaOptions; format?: FormatSetting }

export type Workflow =
  | { type: 'report-agent'; inputs?: string[]; maxFiles?: number; analysisPrompt?: string; reportPrompt?: string; header?: boolean }
  | { type: 'prompt'; prompts: string[] }
  | { type: 'steps'; inputs?: string[]; steps: WorkflowStep[] };

export interface AgentSpec { name: string; endpoint?: string; model?: string; options?: OllamaOptions; workflow?: Workflow }
export interface NormalizedAgent { name: string; endpoint: string; model: string; options: OllamaOptions; workflow: Workflow }
export interface ImplementationSpec { name: string; argv: string[]; cwd?: string; env?: Record<string, string>; endpoint?: string }
/** PRODUCT.md §11.1: after `min`, rounds are added until every variant's 95% CI half-width of `until.metric` is ≤ the target, or `max`. */
export interface AdaptiveRepetitions { min: number; max: number; until: { metric: string; ciHalfWidthPct: number } }

/** Per-call request settings that a variant may override over the experiment's (PRODUCT.md §11.1). */
export interface CallSettings { promptCache?: PromptCacheMode; think?: ThinkSetting; format?: FormatSetting }

export interface VariantSpec extends CallSettings { name: string; options?: OllamaOptions; model?: string; agentOptions?: Record<string, OllamaOptions>; server?: ServerSpec }

/** The file as written: every field optional except title and kind. */
export interface ExperimentFile extends CallSettings {
  title: string;
  description?: string;
  kind: ExperimentKind;
  model?: string;
  endpoints?: Record<string, EndpointEntry>;
  endpoint?: string;
  api?: 'generate' | 'chat';
  stream?: boolean;
  system?: string;
  prompts?: string[];
  promptsFile?: string;
  options?: OllamaOptions;
  variants?: VariantSpec[];
  sweep?: Record<string, (number | string | boolean)[]>;
  repetitions?: number | AdaptiveRepetitions;
  warmup?: number;
  order?: RunOrder;
  seed?: number;
  cooldownMs?: number;
  unloadBetweenVariants?: boolean;
  maxTokens?: number;
  minOutputTokens?: number;
  timeoutMs?: number;
  firstByteTimeoutMs?: number;
  keepAlive?: string | number;
  coldThresholdMs?: number;
  coldRuns?: 'exclude' | 'include';
  retry?: { attempts?: number; delayMs?: number };
  /** Generated texts kept in outputs.jsonl: every k-th (default 1: all), none beyond maxBytes (default: no limit). */
  outputTexts?: { every?: number; maxBytes?: number };
  workflow?: Workflow;
  agents?: AgentSpec[];
  sequentialBaseline?: boolean;
  contention?: { rule: ContentionRuleName; threshold?: number };
  implementations?: ImplementationSpec[];
  /** capacity: the load sweep, the SLOs and the stop rules (PRODUCT.md §11.4). */
  load?: LoadSpec;
  slo?: Slo;
  stop?: StopSpec;
  tr?: string;
  supersedes?: string;
  tags?: string[];
}

/** One variant as run: options fully merged (experiment options < variant options < maxTokens default). */
export interface NormalizedVariant {
  name: string;
  /** Options sent with every call of this variant ({} = none). */
  options: OllamaOptions;
  model: string;
  /** multi-agent: options per agent (agent options < variant agentOptions). */
  agentOptions?: Record<string, OllamaOptions>;
  /** capacity: the managed server this variant runs on. */
  server?: ServerSpec;
  /** command: the implementation this variant runs. */
  implementation?: string;
  /** Where the variant came from: declared in "variants", or expanded from "sweep". */
  source: 'declared' | 'sweep' | 'implementation' | 'default';
  /** The variant's value, else the experiment's, else "cold". */
  promptCache: PromptCacheMode;
  /** Sent with every call of the variant when set (variant's, else the experiment's). */
  think?: ThinkSetting;
  /** Sent with every call of the variant when set; a workflow step's own format wins. */
  format?: FormatSetting;
}

export interface NormalizedExperiment {
  title: string;
  description?: string;
  kind: ExperimentKind;
  model: string;
  /** Endpoint name → URL as run (a managed endpoint's is http://127.0.0.1:<its server's port>). */
  endpoints: Record<string, string>;
  /** Endpoints whose server the harness starts before the preflight and stops after the last run; ports resolved. */
  endpointServers?: Record<string, ServerSpec & { port: number }>;
  endpoint: string;
  api: 'generate' | 'chat';
  stream: boolean;
  system?: string;
  prompts: string[];
  variants: NormalizedVariant[];
  /** The sweep as written (its variants are already in `variants`); kept so reports can draw the grid. */
  sweep?: Record<string, (number | string | boolean)[]>;
  /** Measured runs per variant planned from the start (adaptive: `min`). */
  repetitions: number;
  /** Adaptive repetitions as written (repetitions = min); absent for a fixed count. */
  adaptive?: AdaptiveRepetitions;
  warmup: number;
  order: RunOrder;
  seed: number;
  cooldownMs: number;
  unloadBetweenVariants: boolean;
  maxTokens: number | null;
  /** Outputs shorter than this (eval_count) are invalid; null = a natural stop at any length is valid. */
  minOutputTokens: number | null;
  /** Longest silence between chunks once the answer has started (ms). */
  timeoutMs: number;
  /** Longest wait from send to the answer's first byte (ms): covers a model load and the prefill. */
  firstByteTimeoutMs: number;
  keepAlive?: string | number;
  coldThresholdMs: number;
  /** Measured runs with an unplanned model load: left out of statistics ("exclude") or kept ("include"). */
  coldRuns: 'exclude' | 'include';
  /** The experiment-level prompt-cache mode (variants may override; each variant records its own). */
  promptCache: PromptCacheMode;
  retry: { attempts: number; delayMs: number };
  /** Present only when the file declares it (so the experiment hash of files without it is unchanged). */
  outputTexts?: OutputTextPolicy;
  workflow?: Workflow;
  agents?: NormalizedAgent[];
  sequentialBaseline: boolean;
  contention: { rule: ContentionRuleName; threshold: number };
  implementations?: ImplementationSpec[];
  capacity?: NormalizedCapacity;
  tr?: string;
  supersedes?: string;
  tags?: string[];
  /** `--model NAME` / the palette's model pick: every call used this model (experiment/modelOverride.ts). */
  modelOverride?: { model: string; replaced: string[] };
  /** Absolute path of the experiment file (not hashed), and the folder relative inputs resolve against. */
  sourceFile?: string;
  workspaceDir: string;
}
