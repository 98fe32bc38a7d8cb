// Shared helpers of the command-kind tests: a raw HTTP client that keeps every chunk with its arrival
// time, and a run context over a temporary folder.
import { execFileSync } from 'node:child_process';
import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunContext, type OutputSink } from '../../../src/core/runner/context';
import { buildPlan } from '../../../src/core/experiment/plan';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { silentLogger, systemClock } from '../../../src/core/ports';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() at each chunk's arrival. */
  chunkAt: number[];
  sentAt: number;
}

/** One request with node:http (no client library in between), body bytes exactly as received. */
export function rawRequest(url: string, method: string, body?: string, headers: Record<string, string> = {}, abortAfterChunks?: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(url, { method, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const parts: Buffer[] = [];
      const chunkAt: number[] = [];
      res.on('data', (c: Buffer) => {
        parts.push(c);
        chunkAt.push(performance.now());
        if (abortAfterChunks !== undefined && parts.length >= abortAfterChunks) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), chunkAt, sentAt });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), chunkAt, sentAt }));
      res.on('error', (e) => (abortAfterChunks !== undefined ? undefined : reject(e)));
    });
    req.on('error', (e) => (abortAfterChunks !== undefined ? undefined : reject(e)));
    req.end(body);
  });
}

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), `cf-${prefix}-`));

/** The outputs of a run under a temporary folder (what the TR writer does, without a TR directory). */
export class FolderOutputs implements OutputSink {
  constructor(readonly dir: string) {}
  writeOutput(name: string, text: string): string {
    mkdirSync(join(this.dir, 'outputs'), { recursive: true });
    writeFileSync(join(this.dir, 'outputs', name), text);
    return join('outputs', name);
  }
  outputDir(name: string): string {
    const d = join(this.dir, 'outputs', name);
    mkdirSync(d, { recursive: true });
    return d;
  }
}

/** A RunContext for the plan entry of `variant` (first measured run) of a command experiment. */
export function contextFor(file: ExperimentFile, workspaceDir: string, variant: string, signal: AbortSignal = new AbortController().signal): RunContext {
  const x = normalizeExperiment(file, { workspaceDir });
  const planned = buildPlan(x).find((p) => p.variant === variant && !p.warmup);
  if (!planned) throw new Error(`no measured run of ${variant}`);
  return new RunContext(x, planned, signal, systemClock, silentLogger, new FolderOutputs(workspaceDir), null, {});
}

/** A small benchmark-data folder for the report agents: one CSV, one JSON, one Markdown file. */
export function writeSampleData(dir: string): void {
  mkdirSync(join(dir, 'data', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'data', 'bench.csv'), 'model,tokens_per_s,ttft_ms\ngemma3,102.3,128\nllama3,98.1,140\n');
  writeFileSync(join(dir, 'data', 'sub', 'metrics.json'), '{"runs":[1,2,3],"throughput":101.2}\n');
  writeFileSync(join(dir, 'data', 'notes.md'), '# Benchmark notes\n\nTwo models, three runs each.\n');
}

/**
 * The real Python interpreter: `python3` on PATH may be a version-manager shim (pyenv here: bash
 * scripts that exec python), whose own start-up would be measured as the agent's.
 */
export const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
