// Kind `capacity` (PRODUCT.md §11.4): the load section of the experiment file, the SLOs, the stop rules,
// and what one capacity run (one variant × level × repetition) records in runs.jsonl.
import type { CallRecord, RunStatus } from '../types';

export type LoadMode = 'concurrency' | 'rate';
export type ArrivalProcess = 'poisson' | 'constant';
/** Percentiles the statistics report and an SLO may bound. */
export const CAPACITY_PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
export type CapacityPercentile = (typeof CAPACITY_PERCENTILES)[number];
/** Latency metrics of the capacity statistics (call metrics, except e2e_ms which is per request). */
export const CAPACITY_LATENCY_METRICS = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'queue_ms', 'server_residual_ms'] as const;
export type CapacityLatencyMetric = (typeof CAPACITY_LATENCY_METRICS)[number];
/** Metrics an SLO may bound (all latencies: lower is better). */
export type SloMetric = 'ttft_ms' | 'tpot_ms' | 'e2e_ms';
export const SLO_METRICS: readonly SloMetric[] = ['ttft_ms', 'tpot_ms', 'e2e_ms'];
export type Slo = Partial<Record<SloMetric, Partial<Record<CapacityPercentile, number>>>>;

/** `load` as written in the experiment file. */
export interface LoadSpec {
  mode: LoadMode;
  /** Concurrency mode: requests (workflow runs) kept in flight. */
  levels?: number[];
  /** Rate mode: arrivals per second. */
  rates?: number[];
  arrival?: ArrivalProcess;
  durationS?: number;
  warmupS?: number;
  seed?: number;
  /** Endpoint names the requests are spread over, round-robin (default: the experiment's endpoint). */
  endpoints?: string[];
}

export interface StopSpec { afterSloBroken?: boolean; errorRatePct?: number }

/** The load as run: defaults filled in. */
export interface NormalizedLoad {
  mode: LoadMode;
  /** Concurrency levels or rates, ascending as written. */
  levels: number[];
  arrival: ArrivalProcess | null;
  durationS: number;
  warmupS: number;
  seed: number;
  endpoints: string[];
}

export interface NormalizedCapacity {
  load: NormalizedLoad;
  slo: Slo | null;
  stop: { afterSloBroken: boolean; errorRatePct: number | null };
}

/** When one unit of load was due, when it ran and what was in flight: the load generator's own record. Times: ms since the run's t0. */
export interface LoadTiming {
  i: number;
  /** When the schedule said it should start (rate: the arrival time; concurrency: when its slot freed). */
  scheduledMs: number;
  startMs: number;
  /** startMs − scheduledMs: how late the load generator was. */
  sendLagMs: number;
  endMs: number;
  /** Requests in flight the moment this one started, itself included. */
  inFlight: number;
  /** Started during the warm-up seconds: recorded, not counted. */
  warmup: boolean;
}

/** One request (one unit of load: a call or a workflow run) of a capacity run. */
export interface CapacityRequest extends LoadTiming {
  endpoint: string;
  status: RunStatus;
  error?: string;
  errorCode?: string;
  calls: CallRecord[];
}

export interface CapacityStopRecord { reason: 'slo' | 'errors'; level: number; detail: string }

/** runs.jsonl `capacity` of one capacity run. */
export interface CapacityRunRecord {
  mode: LoadMode;
  level: number;
  arrival: ArrivalProcess | null;
  seed: number | null;
  warmupMs: number;
  durationMs: number;
  /** The SLO and stop rules in force (so the summary is rebuilt from raw records alone). */
  slo: Slo | null;
  requests: CapacityRequest[];
  /** The managed server this run's requests went to (command, environment, port, log path). */
  server?: ServerRecord;
  /** Set on the run after which the sweep of this variant stopped early (not a failure). */
  stoppedAfter?: CapacityStopRecord;
}

// Managed servers (PRODUCT.md §11.4; started and stopped by ./server).
/** As written: `port` defaults to the port of the endpoint the load goes to (which must be on this machine). */
export interface ServerSpec { command?: string[]; env?: Record<string, string>; port?: number }
/** What a run records about the server that served it. */
export interface ServerRecord {
  command: string[]; env: Record<string, string>; port: number; url: string; pid: number; log: string; readyMs: number;
  /** From the check after the start (GET /api/version, POST /api/show of the variant's model). */
  version?: string; model?: { name: string; digest: string | null };
  /** Network estimate to the server (ms), used for its requests' queue_ms as the preflight's is for an endpoint. */
  rttMs?: number | null;
}
