// The data contracts of PRODUCT.md §3 and §5: what one call, one run and one TR directory hold.
// Field names here are written to runs.jsonl / meta.json and read by other tools: change compatibly.
import type { CapacityRunRecord, ServerRecord } from './capacity/types';

export type OllamaOptions = Record<string, unknown>;

/** Ollama's `think` (PRODUCT.md §11.1): a bool, or a level for models that take one. */
export type ThinkSetting = boolean | 'low' | 'medium' | 'high';
/** Ollama's `format`: "json" or a JSON schema (grammar-constrained output). */
export type FormatSetting = string | Record<string, unknown>;
/** PRODUCT.md §11.1: "cold" = a unique prefix per call defeats prompt-cache reuse; "warm" = reuse allowed. */
export type PromptCacheMode = 'cold' | 'warm';

/** Raw timing fields exactly as the server sent them (nanoseconds); absent zero fields are stored as 0. */
export interface ServerFields {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
  done_reason: string | null;
  /** Prompt tokens served from the server's KV cache; present only when the server sent it (newer Ollama). */
  prompt_eval_cached_count?: number;
}

/** Client timings from a monotonic clock, in ms relative to the moment the request was sent. */
export interface ClientTimings {
  /** Send time relative to the run's start (ms), so calls of one run can be drawn on one timeline. */
  sendOffsetMs: number;
  headersMs: number | null;
  /** First chunk carrying a token of any kind (thinking or answer). */
  firstTokenMs: number | null;
  /** First chunk carrying answer text (response / message.content), not thinking. Absent in records written before it existed. */
  firstAnswerMs?: number | null;
  endMs: number;
  /** Arrival of each chunk that carried a token (non-empty answer or thinking text), ms after send. */
  chunkMs: number[];
}

export interface Distribution {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

/** Derived per-call metrics, PRODUCT.md §3 (names are the contract). null where not derivable. */
export interface CallMetrics {
  ttft_ms: number | null;
  ttft_answer_ms: number | null;
  server_ttft_ms: number | null;
  queue_ms: number | null;
  decode_tps: number | null;
  client_decode_tps: number | null;
  tpot_ms: number | null;
  itl_ms: Distribution | null;
  e2e_ms: number;
  load_ms: number | null;
  prompt_eval_ms: number | null;
  prompt_tps: number | null;
  prompt_cached_tokens: number | null;
  server_residual_ms: number | null;
  cold: boolean | null;
  /** eval_count below LOW_PRECISION_EVAL_COUNT: the call's decode rates rest on too few tokens to be precise. */
  decode_low_precision: boolean | null;
  /**
   * @deprecated Written by versions before client_decode_tps (it counted one token too many). Kept only
   * so old runs.jsonl files type-check when read; never written, shown or used in statistics.
   */
  e2e_tps?: number | null;
}

export type CallStatus = 'ok' | 'failed' | 'cancelled';

/** Ollama's OpenAI-compatible routes a program may call through the recording proxy. */
export type OpenAiPath = '/v1/chat/completions' | '/v1/completions';

/** What an OpenAI-compatible answer says instead of Ollama's final chunk (the proxy records it). */
export interface OpenAiCallFacts {
  path: OpenAiPath;
  /** finish_reason as sent ("stop", "length", "tool_calls"); null when none came. */
  finish_reason: string | null;
  /** usage as sent (a streamed answer carries it only with stream_options.include_usage); null = not sent, unknown. */
  usage: { prompt_tokens: number; completion_tokens: number } | null;
}

/**
 * The context length the prompt-truncation check used for a call, and where it came from: the request's
 * num_ctx, /api/ps `context_length` of the loaded model read right after the run (num_ctx not set: Ollama
 * picked it), or unknown (null) with the reason.
 */
export type ContextLengthSource =
  | { value: number; source: 'options.num_ctx' | '/api/ps' }
  | { value: null; source: 'unknown'; reason: string };

export interface CallRecord {
  stage: string;
  /** Endpoint name from the experiment (e.g. "default", "b"). */
  endpoint: string;
  url: string;
  model: string;
  api: 'generate' | 'chat';
  /** Options exactly as sent ({} = none sent); for an OpenAI-compatible call, the Ollama options its fields map to. */
  options: OllamaOptions;
  /**
   * Set when a program called Ollama's OpenAI-compatible API (api is then "chat" for /v1/chat/completions,
   * "generate" for /v1/completions); server is null (such answers carry no durations). Absent = native API.
   */
  openai?: OpenAiCallFacts;
  startedAt: string;
  status: CallStatus;
  error?: { code: string; message: string };
  server: ServerFields | null;
  client: ClientTimings;
  metrics: CallMetrics | null;
  /** Characters of generated answer text (thinking excluded; the text itself is in outputs.jsonl, earlier TRs: under outputs/, when saved); null when unknown (a self-report without text_chars: emptiness is then judged by eval_count). */
  textChars: number | null;
  outputFile?: string;
  /** Characters of reasoning a thinking model sent (thinking / message.thinking); absent when none. */
  thinkingChars?: number;
  /** The reasoning, saved apart from the answer (outputs.jsonl#…_thinking.txt); never given to a later step. */
  thinkingFile?: string;
  /** `think` as sent (absent = not sent: the server's default). */
  think?: ThinkSetting;
  /** `format` as sent ("json" or a JSON schema). */
  format?: FormatSetting;
  /** The answer had to be JSON (format set): whether it parsed and, for a schema, matched it. Absent when no format was asked or the call failed. */
  json_valid?: boolean;
  /** Why json_valid is false (the parse error or the first schema mismatch). */
  jsonError?: string;
  /** The per-call prefix that made this call's prompt unique (promptCache "cold"); absent under "warm". */
  cachePrefix?: string;
  promptChars?: number;
  /** Context length behind the truncation check and its source (ok calls; absent in records written before it). */
  contextLength?: ContextLengthSource;
  /** Retries under the experiment's declared retry policy (503 busy / connection refused before data). */
  retries?: number;
  /** The failed attempts before this one, in order, each as recorded (kept: they are the saturation signal); retries = attempts.length. */
  attempts?: FailedAttempt[];
  /** Whether the request asked for a stream (recorded for calls made by external programs). */
  stream?: boolean;
}

/** One attempt of a call that failed and was retried under the declared policy. */
export type FailedAttempt = Omit<CallRecord, 'attempts' | 'retries'>;

export type RunStatus = 'ok' | 'failed' | 'cancelled';

export interface AgentRecord {
  name: string;
  endpoint: string;
  options: OllamaOptions;
  /** Start skew: this agent's start minus the earliest agent start, ms. */
  startOffsetMs: number;
  wallMs: number;
  status: RunStatus;
  error?: string;
  calls: CallRecord[];
  stages?: Record<string, number>;
  filesIngested?: number;
}

export interface MultiAgentRunMetrics {
  concurrent_wall_ms: number;
  /** Σ agent wall / concurrent wall / N × 100 — the original program's "parallel efficiency". */
  overlap_efficiency: number;
  /** Σ solo wall times measured in this experiment / concurrent wall; null without a sequential baseline. */
  speedup_vs_sequential: number | null;
  aggregate_tps: number | null;
  jain_fairness: number | null;
  slowdown_vs_solo: Record<string, number> | null;
  ttft_inflation: Record<string, number> | null;
  start_skew_ms: number;
  /** By the declared rule; null when the rule cannot be decided for this run (e.g. its solo baseline is missing or failed). */
  contention: boolean | null;
}

export interface CommandRunMetrics {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  startup_ms: number | null;
  process_wall_ms: number;
  peak_rss_mb: number | null;
  cpu_ms: number | null;
  stdoutTail: string;
  stderrTail: string;
  /** Where `calls` came from: the recording proxy, the program's own JSON-line reports, or neither. */
  callsSource?: 'proxy' | 'self-report' | 'none';
  /** /proc sampling behind peak_rss_mb and cpu_ms: interval (ms) and samples taken (0 = none, e.g. no /proc). */
  sample_interval_ms?: number;
  samples?: number;
}

/** GPU maxima over the nvidia-smi samples taken during one run (all GPUs together). */
export interface GpuRunSummary {
  samples: number;
  util_max_pct: number | null;
  mem_used_max_mb: number | null;
  temp_max_c: number | null;
  power_max_w: number | null;
}

/** One model in Ollama's /api/ps right after a run. */
export interface LoadedModelSample {
  endpoint: string;
  name: string;
  size: number;
  size_vram: number;
  offload: 'none' | 'partial' | 'full';
  context_length: number | null;
}

export interface RunRecord {
  run: number;
  /** `chimeraforge merge`: the TR this run was recorded in, its run number there, and the host that ran it. */
  mergedFrom?: { tr: string; run: number; host: string | null };
  variant: string;
  repetition: number;
  warmup: boolean;
  /** Why this warm-up was added (e.g. "re-warm after load-time option change"). */
  warmupReason?: string;
  valid: boolean;
  invalidReason?: string;
  /**
   * A measured run in which a call paid for a model load that was not planned (load_ms ≥ coldThresholdMs:
   * keep_alive expiry, eviction, a load-time option change by someone else). Left out of statistics under
   * coldRuns "exclude" (default), counted and listed. Absent = not cold.
   */
  cold?: boolean;
  coldReason?: string;
  status: RunStatus;
  error?: string;
  errorCode?: string;
  startedAt: string;
  wallMs: number;
  calls: CallRecord[];
  /** Per-stage durations in ms (ingest/analysis/report/total for report-agent). */
  stages?: Record<string, number>;
  filesIngested?: number;
  agents?: AgentRecord[];
  multiAgent?: MultiAgentRunMetrics;
  /** Solo (sequential-baseline) runs of one agent in a multi-agent experiment. */
  soloAgent?: string;
  command?: CommandRunMetrics;
  /** capacity: the level this run held and every request it made (calls live there, not in `calls`). */
  capacity?: CapacityRunRecord;
  /** nvidia-smi maxima during this run (when a GPU answered). */
  gpu?: GpuRunSummary;
  /** Ollama /api/ps right after this run: model memory, VRAM part, partial offload. */
  loadedModels?: LoadedModelSample[];
  /** Values the original program stored itself (imports only). */
  original?: Record<string, unknown>;
}

/** Quantities undefined for the sample (sd/CI at n=1, CV at mean 0) are null, never a made-up number. */
export interface StatSummary {
  n: number;
  mean: number;
  sd: number | null;
  cv: number | null;
  median: number;
  min: number;
  max: number;
  p5?: number;
  p25?: number;
  p75?: number;
  p95: number;
  p99?: number;
  iqr?: number;
  ci95: [number, number] | null;
  outliers?: number;
}

export type TrStatus = 'running' | 'complete' | 'failed' | 'cancelled';
/** What a reader shows: `interrupted` is derived for a `running` TR whose writer is gone. */
export type ShownStatus = TrStatus | 'interrupted';

export interface EndpointInfo {
  name: string;
  url: string;
  version: string | null;
  models: { name: string; digest: string | null; parameter_size: string | null; quantization_level: string | null; family?: string | null }[];
  error?: string;
  /** The managed server the harness ran on this endpoint for the whole experiment (argv, env, port, pid, ready time, version, log). */
  server?: ServerRecord;
}

/** The workspace's git state at run start (PRODUCT.md §11.3); absent when the workspace is not a git work tree. */
export interface GitInfo { commit: string | null; branch: string | null; dirty: boolean; diffHash: string | null }

export interface Environment {
  endpoints: EndpointInfo[];
  host: { os: string; arch: string; cpus: number; cpuModel?: string; memoryBytes: number; node: string; hostname?: string };
  gpus: { name: string; memoryTotalMb?: number; driver?: string }[];
  tool: { name: string; version: string };
  git?: GitInfo;
}

export interface Counts {
  planned: number;
  completed: number;
  warmup: number;
  failed: number;
  invalid: number;
  cancelled?: number;
  /** Measured runs marked cold (an unplanned model load); written from the first cold run on (absent = none). */
  cold?: number;
  /** Measured runs left out of the statistics, by reason (failed, invalid, cancelled, cold); written from the first one on (absent = none). */
  excluded?: Record<string, number>;
  /** capacity: planned runs not run because a stop rule ended their variant's sweep early (not failures). */
  skipped?: number;
}

export interface Comparison {
  a: string;
  b: string;
  metric: string;
  /** b − a (the first named group is the reference). Undefined quantities (n<2, zero variance) are null. */
  diff: number;
  ratio: number | null;
  ci95: [number, number] | null;
  ratioCi95?: [number, number] | null;
  bootstrapCi95?: [number, number] | null;
  p: number | null;
  g: number | null;
  verdict: string;
  [k: string]: unknown;
}

export interface VariantSummary {
  name: string;
  options: Record<string, unknown>;
  n: number;
  [metric: string]: unknown;
}

export interface Summary {
  variants: VariantSummary[];
  multiAgent?: Record<string, unknown>;
  comparisons: Comparison[];
  [k: string]: unknown;
}

/** One variant at an adaptive-repetitions check: its 95% CI half-width of the metric, % of its mean. */
export interface AdaptiveVariantCheck {
  name: string;
  /** Measured repetitions planned for the variant so far (failed and invalid runs included). */
  repetitions: number;
  /** Counted runs with a value of the metric. */
  n: number;
  mean: number | null;
  /** (CI upper − CI lower) / 2 / |mean| × 100; null when n < 2 or the mean is 0 (then the target is not met). */
  halfWidthPct: number | null;
  met: boolean;
}

/** meta.json `adaptive` (PRODUCT.md §11.1): the rule, each check, and why the runs stopped. */
export interface AdaptiveOutcome {
  min: number;
  max: number;
  until: { metric: string; ciHalfWidthPct: number };
  /** target-met: every variant met the target; max-reached: some variant had max repetitions without meeting it; running: not decided yet. */
  stopped: 'running' | 'target-met' | 'max-reached' | 'cancelled';
  reason: string;
  /** Each variant's latest check. */
  variants: AdaptiveVariantCheck[];
  /** Every check in order: the repetition it followed and the half-widths then (the CI narrowing). */
  checks: { repetitions: number; halfWidthPct: Record<string, number | null> }[];
}

/** Which generated texts a TR keeps in outputs.jsonl (experiment field "outputTexts"): every k-th, none beyond a byte budget. */
export interface OutputTextPolicy {
  every: number;
  maxBytes: number | null;
}

/** meta.json `outputTexts`: the file, the policy, and what it kept and dropped (not summary.variants[].outputs: output lengths and stops). */
export interface OutputTextTally extends OutputTextPolicy {
  file: string;
  kept: number;
  dropped: number;
  bytes: number;
}

export interface Meta {
  schemaVersion: number;
  id: string;
  title: string;
  kind: string;
  status: TrStatus;
  createdAt: string;
  finishedAt: string | null;
  /** pid and host of the writer while running, to tell `interrupted` from `running`. */
  writer?: { pid: number; hostname: string; startedAt: string };
  experiment: Record<string, unknown> & { hash: string };
  environment: Environment;
  metricDefinitions: Record<string, string>;
  counts: Counts;
  summary: Summary;
  supersedes: string | null;
  supersededBy: string | null;
  supersedeReason: string | null;
  artifacts: { runs: string; summaryCsv: string; report: string; charts: string[]; outputs?: string };
  imported?: { from: string; layout: string; files: number; commit?: string; [k: string]: unknown };
  /** The exact command that re-runs this experiment. */
  command?: string;
  /** Generated texts: outputs.jsonl, the keep policy (experiment "outputTexts") and what it kept and dropped. */
  outputTexts?: OutputTextTally;
  /** Validity notes and partial-report markers written by the runner or importer. */
  notes?: string[];
  /** Adaptive repetitions: the rule, its checks and why the runs stopped. */
  adaptive?: AdaptiveOutcome;
  /** `chimeraforge merge`: the TRs joined into this one, each with its own environment (provenance per host). */
  merged?: { tr: string; host: string | null; status: ShownStatus; createdAt: string; runs: number; environment: Environment; experimentHash: string }[];
  /** Why the experiment stopped: an exception mid-experiment (disk full, a throwing listener) finishes the TR `failed` with it. */
  error?: { code: string; message: string };
  /** Imports: where our recomputation from raw runs and the original's stored/published values differ (or agree). */
  differences?: { what: string; original: number | string | null; recomputed: number | string | null; source: string; unit?: string; agrees: boolean; note?: string }[];
}
