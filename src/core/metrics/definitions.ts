// Metric name → definition text, written into meta.json `metricDefinitions` and the reports'
// Methodology section, so every number shown has its exact definition beside it (PRODUCT.md §3).
import { DEFAULT_COLD_THRESHOLD_MS, LOW_PRECISION_EVAL_COUNT } from './callMetrics';

/** Raw server fields, recorded exactly as Ollama sent them. */
export const SERVER_FIELD_DEFINITIONS: Readonly<Record<string, string>> = {
  total_duration: 'Server field (ns): handler entry → final chunk, as sent by Ollama. Includes waiting for a parallel slot. Absent (zero) fields are stored as 0.',
  load_duration: 'Server field (ns): handler entry → runner obtained from the scheduler; includes model (re)load and waiting for a load or eviction. ≈0 when the model was already loaded.',
  prompt_eval_count: 'Server field (tokens): prompt tokens, including a cached prefix.',
  prompt_eval_duration: 'Server field (ns): time to evaluate the non-cached prompt tokens only.',
  eval_count: 'Server field (tokens): generated tokens.',
  eval_duration: 'Server field (ns): time spent generating eval_count tokens. Ollama\'s Go runner measures it over the N−1 intervals between N tokens.',
  prompt_eval_cached_count: 'Server field (tokens): prompt tokens served from the KV cache of an earlier request (included in prompt_eval_count, not in prompt_eval_duration). Sent by newer Ollama versions only; absent = not reported, not 0.',
  done_reason: 'Server field: why generation ended ("stop" = EOS or stop string, "length" = num_predict or context limit, "load", "unload"); null when absent.',
};

/** What "a token" is for the client-side rates: stated once, used in several definitions. */
const TOKEN_CHUNK = 'a token = one streamed chunk carrying non-empty answer or thinking text (Ollama writes one token per line; a server that batches several tokens into one line is counted per line, so a client rate then reads low by the batch size — compare with decode_tps)';

/** Per-call metrics derived from one request (names as in runs.jsonl `calls[].metrics`), with the cold threshold in force. */
export function callMetricDefinitions(coldThresholdMs: number = DEFAULT_COLD_THRESHOLD_MS): Record<string, string> {
  return {
    ttft_ms: 'Client time to first token (ms, monotonic clock): request sent → arrival of the first stream chunk carrying a token of any kind (thinking or answer). Null for non-streamed calls and calls that produced no token.',
    ttft_answer_ms: 'Client time to first answer token (ms): request sent → arrival of the first chunk with non-empty answer text (response / message.content), thinking excluded. Equals ttft_ms for a model that does not think; null when no answer text arrived or the call was not streamed.',
    server_ttft_ms: 'Server time to first token (ms) = (load_duration + prompt_eval_duration) / 1e6, the TR108 definition. Excludes queueing for a parallel slot and the network. Never compare it with ttft_ms.',
    queue_ms: 'ESTIMATE, an upper bound of the wait for a slot (ms) = ttft_ms − server_ttft_ms − network round-trip estimate (median of HEAD / round trips before the run). It also holds everything else between the send and the first token that load and prompt_eval do not cover (templating, tokenizing, the first decode step), so the real slot wait is at most this. Null when any term is unknown; can be slightly negative from clock noise, which is kept, not clipped. server_residual_ms measures the server-side part without a network estimate.',
    decode_tps: 'Server decode rate (tokens/s) = eval_count / (eval_duration / 1e9). Ollama measures eval_duration over N−1 intervals, so for short outputs this reads high by N/(N−1). Null when eval_count or eval_duration is 0.',
    client_decode_tps: `Client decode rate (tokens/s) = (tokens − 1) / ((last token − first token) / 1000), arrival times on the client's monotonic clock, where ${TOKEN_CHUNK}. Null below 2 tokens. Replaces e2e_tps, which divided eval_count (one token too many) by first token → end of stream; TRs written before this metric get it recomputed from their raw chunk times.`,
    tpot_ms: 'Time per output token after the first (ms) = (end − first token) / (eval_count − 1), client timestamps; for a call to Ollama\'s OpenAI-compatible API (recorded by the proxy) eval_count is usage.completion_tokens, which Ollama fills from it. Null when that count is < 2 or unknown (a streamed OpenAI-compatible answer without stream_options.include_usage).',
    itl_ms: `Inter-token latency (ms): gaps between consecutive token chunks as they arrived at the client (${TOKEN_CHUNK}); reported as p50/p95/p99/max (linear interpolation, k = (n−1)·p) and n = number of gaps. Null with fewer than 2 token chunks.`,
    e2e_ms: 'Client end-to-end latency (ms): request sent → end of the response (final chunk, or the error), monotonic clock.',
    load_ms: 'Model load time (ms) = load_duration / 1e6.',
    prompt_eval_ms: 'Prompt processing time (ms) = prompt_eval_duration / 1e6 (non-cached prompt tokens only).',
    prompt_tps: 'Prompt processing rate (tokens/s) = prompt_eval_count / (prompt_eval_duration / 1e9). prompt_eval_count includes a cached prefix while the duration does not, so a cache hit inflates it. Null when either is 0.',
    prompt_cached_tokens: 'Prompt tokens served from the server\'s KV cache = prompt_eval_cached_count as sent in the final chunk; null when the server did not send the field (older Ollama), which means unknown, not 0.',
    server_residual_ms: 'Server time no other field explains (ms) = (total_duration − load_duration − prompt_eval_duration − eval_duration) / 1e6: waiting for a parallel slot, templating, tokenizing. Measured by the server, no network estimate. Null without server fields or total_duration.',
    cold: `True when load_ms ≥ ${coldThresholdMs} ms (the cold threshold, coldThresholdMs), i.e. the call paid for a model load; null without server fields.`,
    decode_low_precision: `True when eval_count < ${LOW_PRECISION_EVAL_COUNT}: decode_tps and client_decode_tps of such a call rest on fewer than ${LOW_PRECISION_EVAL_COUNT - 1} intervals and are low-precision (shown, counted, flagged).`,
  };
}

/** Per-call metric definitions with the default cold threshold. */
export const CALL_METRIC_DEFINITIONS: Readonly<Record<string, string>> = callMetricDefinitions();

/** Run-level metrics of one run (one workflow execution). */
export const RUN_METRIC_DEFINITIONS: Readonly<Record<string, string>> = {
  wall_ms: 'Run wall time (ms, monotonic clock): start of the run → end of its last call or step.',
  'stages.ingest': 'Ingest stage duration (ms): reading and inventorying the input files. In a multi-agent run every agent\'s inputs are read before the start barrier, so its ingest is recorded but lies outside its wall time, stages.total and concurrent_wall_ms.',
  'stages.analysis': 'Analysis stage duration (ms): the analysis LLM call(s), client side.',
  'stages.report': 'Report stage duration (ms): the report LLM call(s), client side.',
  'stages.total': 'Total workflow duration (ms): first stage start → last stage end (multi-agent agents: from the start barrier, the ingest done before it excluded).',
  files_ingested: 'Number of input files read by the workflow. A run that ingested 0 files while inputs were configured is invalid.',
  'gpu.util_max_pct': 'Highest GPU utilisation (%) among the nvidia-smi samples taken during the run (every 1 s, all GPUs; a sample counts when nvidia-smi was asked after the run started and before it ended, never one from before; gpu.jsonl holds every sample). Absent without nvidia-smi, and for a run shorter than the interval that no sample fell into.',
  'gpu.mem_used_max_mb': 'Highest GPU memory in use (MiB) among the nvidia-smi samples taken during the run.',
  'gpu.temp_max_c': 'Highest GPU temperature (°C) among the nvidia-smi samples taken during the run.',
  'gpu.power_max_w': 'Highest GPU power draw (W) among the nvidia-smi samples taken during the run.',
  loaded_models: "Ollama /api/ps right after the run, per endpoint: size (bytes, the runner's memory estimate), size_vram (bytes on the GPU), offload none | partial (0 < size_vram < size) | full.",
  context_length: "Per ok call (calls[].contextLength): the context length the prompt-truncation check used and its source — the request's num_ctx (options.num_ctx), else /api/ps context_length of the loaded model read right after the run (/api/ps: the context Ollama picked itself), else unknown (null) with the reason (model unloaded before /api/ps was read, /api/ps failed, no context_length). A prompt of more than context length × 4 characters whose prompt_eval_count stayed near the context length was truncated: the run is invalid.",
};

/** Multi-agent run metrics (PRODUCT.md §2.2). */
export const MULTI_AGENT_METRIC_DEFINITIONS: Readonly<Record<string, string>> = {
  concurrent_wall_ms: 'Concurrent wall time (ms): earliest agent start → latest agent end; agents start at the barrier, after their inputs were read, so it holds only the agents\' work.',
  overlap_efficiency: 'Overlap efficiency (%) = Σ agent wall times / concurrent wall time / N × 100 — the original program\'s "parallel efficiency". Measures how much the agents overlapped in time, not a throughput gain.',
  speedup_vs_sequential: 'Real speedup (×) = Σ solo wall times of the same agents (each run alone, same endpoint and options, measured in this experiment) / concurrent wall time. Null without a sequential baseline.',
  aggregate_tps: 'Aggregate throughput (tokens/s) = Σ eval_count of all agents\' calls / (concurrent wall time / 1000).',
  jain_fairness: 'Jain\'s fairness index of per-agent decode rates = (Σx)² / (N · Σx²); 1 = perfectly even, 1/N = one agent got everything.',
  slowdown_vs_solo: 'Per agent (×) = the agent\'s wall time in the concurrent run / its solo wall time.',
  ttft_inflation: 'Per agent (×) = the agent\'s mean ttft_ms in the concurrent run / its mean solo ttft_ms.',
  start_skew_ms: 'Start skew (ms) = latest agent start − earliest agent start.',
  contention: 'Per run: true when the declared contention rule (written in meta.json; default overlap speedup below 1.5, the original program\'s rule) flags the run, false when it does not, null when the rule cannot be decided for the run (its solo baseline is missing or failed). The summary\'s contention_rate is defined with the summary definitions.',
};

/** External-implementation (command) run metrics (PRODUCT.md §2.3). */
export const COMMAND_METRIC_DEFINITIONS: Readonly<Record<string, string>> = {
  startup_ms: 'Start-up time (ms): process spawn → first request (any path) reaching the recording proxy in front of the endpoint, monotonic clock; measured, not estimated. Null when no request reached the proxy.',
  process_wall_ms: 'Process wall time (ms): spawn → exit.',
  peak_rss_mb: 'Peak resident set size (MiB) of the process tree (the program and its descendants), sampled every 25 ms from /proc/<pid>/status: the largest Σ VmRSS in one sample, or the program\'s own VmHWM if higher. Null without /proc (not Linux).',
  cpu_ms: 'CPU time (ms) = user + system time of the process tree (utime + stime, plus cutime + cstime of waited-for children) from /proc/<pid>/stat, in the last sample before exit (every 25 ms; CPU of the final ≤ 25 ms can be missing). Null without /proc.',
};

/** Per-call record fields that are not timings: what was sent to defeat the cache, and what came back (PRODUCT.md §11.1–11.2). */
export const CALL_FIELD_DEFINITIONS: Readonly<Record<string, string>> = {
  cachePrefix: 'promptCache "cold": the random prefix ("[", 8 hex digits, "]", newline; a new one per call and per retry) put at the start of the call\'s first system or user content (generate: the system prompt when there is one, else the prompt), so its prompt shares with an earlier one at most what the template puts before that content (role tags, a Modelfile SYSTEM) and the prefill is measured in full. Absent under "warm", where prompts are sent as written. It counts in prompt_eval_count, and in promptChars when it went into the prompt or a chat message (promptChars does not count a generate system prompt).',
  thinking: 'A thinking model\'s reasoning (thinking / message.thinking chunks): its length is thinkingChars and its text is saved apart from the answer (thinkingFile: outputs.jsonl#<name>); a later workflow step gets the answer only. Its tokens count in eval_count, in ttft_ms and in the client rates, not in ttft_answer_ms.',
  json_valid: 'Per call that sent format (structured output): true when the answer (reasoning excluded) parses as JSON and, when format is a JSON schema, matches it (ajv); false otherwise, with jsonError giving the first reason (e.g. an answer cut short by num_predict); absent when no format was sent or the call failed. Counted per variant (json_checked, json_valid), not a validity rule.',
};

/** Every definition, for meta.json `metricDefinitions` (pick the used ones with `definitionsFor`). */
export const METRIC_DEFINITIONS: Readonly<Record<string, string>> = {
  ...SERVER_FIELD_DEFINITIONS,
  ...CALL_METRIC_DEFINITIONS,
  ...RUN_METRIC_DEFINITIONS,
  ...MULTI_AGENT_METRIC_DEFINITIONS,
  ...COMMAND_METRIC_DEFINITIONS,
  ...CALL_FIELD_DEFINITIONS,
};

/**
 * The tables above by name, for the one-key-one-definition check (metrics/allDefinitions.ts). Aggregates
 * of a summary (decode_tps_weighted, decode_tps_call_mean, contention_rate) are defined once, in
 * stats/metrics.ts SUMMARY_DEFINITIONS.
 */
export const METRIC_DEFINITION_TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  SERVER_FIELD_DEFINITIONS,
  CALL_METRIC_DEFINITIONS,
  RUN_METRIC_DEFINITIONS,
  MULTI_AGENT_METRIC_DEFINITIONS,
  COMMAND_METRIC_DEFINITIONS,
  CALL_FIELD_DEFINITIONS,
};

/** The definitions of the given metric names; unknown names are a programmer error. */
export function definitionsFor(names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const text = METRIC_DEFINITIONS[name];
    if (text === undefined) throw new Error(`no definition for metric "${name}"`);
    out[name] = text;
  }
  return out;
}

/** Every definition as meta.json `metricDefinitions` records it for an experiment with this cold threshold. */
export function metricDefinitionsFor(coldThresholdMs: number): Record<string, string> {
  return { ...METRIC_DEFINITIONS, ...callMetricDefinitions(coldThresholdMs) };
}
