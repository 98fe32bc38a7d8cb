// Shared by the import tests: a private copy of the fixture subset (so runs never touch the repo), and
// readers for the fixture's raw JSON to compute expected values by hand in the tests.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'original');

export const ROOTS = {
  rustMulti: 'data/research/tr110_rust_full',
  runtimeMatrix: 'data/research/tr115_results_v2',
  rustSingle: 'data/research/tr109_rust_full',
  pythonSweep: 'benchmarks/python/chimera_sweep',
  pythonMulti: 'src/python/banterhearts/demo_multiagent/comprehensive_test_results',
  tr108: 'outputs/reports',
} as const;

/** A fresh copy of the fixture tree and an empty reports directory. */
export function workspace(): { data: string; reports: string } {
  const base = mkdtempSync(join(tmpdir(), 'cf-import-'));
  const data = join(base, 'original');
  cpSync(FIXTURE, data, { recursive: true });
  return { data, reports: join(base, 'reports') };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function raw(rel: string): any {
  return JSON.parse(readFileSync(join(FIXTURE, rel), 'utf8'));
}

/** The original's overlap formula on a Rust multi-agent metrics.json, computed here by hand. */
export function rustEfficiency(rel: string): number {
  const d = raw(rel);
  return ((d.collector.execution_time_s + d.insight.execution_time_s) / d.summary.concurrent_wall_time_s / 2) * 100;
}

export function close(a: number, b: number, eps = 1e-9): boolean {
  return Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));
}
