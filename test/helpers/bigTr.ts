// A finished prompt TR with many small run records, generated at test time: variants A and B (B ~10%
// faster), decode rate 100 + (i % 7) (+10 for B) tok/s, TTFT 20 + (i % 11) ms. Written in batches.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TrWriter } from '../../src/core/store/writer';
import { makeRun } from '../unit/stats/fixtures';

export function makeBigTr(reportsDir: string, runs: number): { id: string; dir: string; bytes: number } {
  const w = TrWriter.create(reportsDir, {
    title: 'big', kind: 'prompt', experiment: { hash: 'sha256:x', kind: 'prompt', variants: [{ name: 'A', options: {} }, { name: 'B', options: {} }] },
    environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0' } },
    metricDefinitions: {}, supersedes: null, planned: runs,
  });
  w.finish('complete', { variants: [], comparisons: [] }, '');
  const dir = join(reportsDir, w.id);
  const file = join(dir, 'runs.jsonl');
  const fd = openSync(file, 'w');
  try {
    let batch: string[] = [];
    for (let i = 0; i < runs; i++) {
      const variant = i % 2 ? 'B' : 'A';
      batch.push(JSON.stringify(makeRun({ run: i, variant, calls: [{ tps: (variant === 'B' ? 110 : 100) + (i % 7), ttftMs: 20 + (i % 11) }] })));
      if (batch.length === 5000) {
        writeSync(fd, batch.join('\n') + '\n');
        batch = [];
      }
    }
    if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  return { id: w.id, dir, bytes: statSync(file).size };
}
