import assert from 'node:assert/strict';
import { buildPlan, type PlannedRun } from '../../../src/core/experiment/plan';
import { mulberry32 } from '../../../src/core/random';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';

const short = (p: PlannedRun[]): string[] => p.map((r) => `${r.variant}${r.warmup ? (r.warmupReason === 'reload' ? '~' : '*') : r.repetition}${r.soloAgent ? `:${r.soloAgent}` : ''}${r.unloadBefore ? '!' : ''}`);
const base: ExperimentFile = { title: 't', kind: 'prompt', prompts: ['p0', 'p1'], repetitions: 2, warmup: 1, variants: [{ name: 'A', options: {} }, { name: 'B', options: { temperature: 0.8 } }] };

describe('run plan', () => {
  it('interleaves A B A B after the declared warm-ups (no reload between per-request options)', () => {
    assert.deepEqual(short(buildPlan(normalizeExperiment(base))), ['A*', 'B*', 'A1', 'B1', 'A2', 'B2']);
  });

  it('runs sequentially with each variant warming itself up', () => {
    assert.deepEqual(short(buildPlan(normalizeExperiment({ ...base, order: 'sequential' }))), ['A*', 'A1', 'A2', 'B*', 'B1', 'B2']);
  });

  it('re-warms after every switch of load-time options', () => {
    const x = normalizeExperiment({ ...base, variants: [{ name: 'A', options: { num_ctx: 512 } }, { name: 'B', options: { num_ctx: 1024 } }] });
    assert.deepEqual(short(buildPlan(x)), ['A*', 'B*', 'A~', 'A1', 'B~', 'B1', 'A~', 'A2', 'B~', 'B2']);
    const seq = normalizeExperiment({ ...base, order: 'sequential', variants: [{ name: 'A', options: { num_ctx: 512 } }, { name: 'B', options: { num_ctx: 1024 } }] });
    assert.deepEqual(short(buildPlan(seq)), ['A*', 'A1', 'A2', 'B*', 'B1', 'B2'], 'sequential order needs no re-warm');
  });

  it('unloads at variant changes instead of re-warming when cold loads are measured on purpose', () => {
    const x = normalizeExperiment({ ...base, warmup: 0, unloadBetweenVariants: true, variants: [{ name: 'A', options: { num_ctx: 512 } }, { name: 'B', options: { num_ctx: 1024 } }] });
    assert.deepEqual(short(buildPlan(x)), ['A1', 'B1!', 'A2!', 'B2!']);
  });

  it('orders randomly but reproducibly with the seed', () => {
    const x = normalizeExperiment({ ...base, order: 'random', repetitions: 6, seed: 7 });
    const a = short(buildPlan(x));
    assert.deepEqual(a, short(buildPlan(x)));
    assert.deepEqual(a.slice(0, 2), ['A*', 'B*']);
    assert.deepEqual([...a].sort(), [...short(buildPlan(normalizeExperiment({ ...base, repetitions: 6 })))].sort());
    assert.notDeepEqual(a, short(buildPlan(normalizeExperiment({ ...base, repetitions: 6 }))));
    assert.notDeepEqual(a, short(buildPlan(normalizeExperiment({ ...base, order: 'random', repetitions: 6, seed: 8 }))));
  });

  it('cycles prompts by repetition so every variant sees the same prompts', () => {
    const p = buildPlan(normalizeExperiment({ ...base, repetitions: 3, warmup: 0 }));
    assert.deepEqual(p.map((r) => r.promptIndex), [0, 0, 1, 1, 0, 0]);
  });

  it('puts solo runs of each agent beside every concurrent multi-agent run', () => {
    const x = normalizeExperiment({ title: 't', kind: 'multi-agent', repetitions: 1, warmup: 0, workflow: { type: 'report-agent' }, agents: [{ name: 'a' }, { name: 'b' }] });
    assert.deepEqual(short(buildPlan(x)), ['default1:a', 'default1:b', 'default1']);
    const noSeq = normalizeExperiment({ title: 't', kind: 'multi-agent', repetitions: 2, warmup: 0, sequentialBaseline: false, workflow: { type: 'report-agent' }, agents: [{ name: 'a' }, { name: 'b' }] });
    assert.deepEqual(short(buildPlan(noSeq)), ['default1', 'default2']);
  });

  it('indexes runs densely from 0', () => {
    const p = buildPlan(normalizeExperiment({ ...base, variants: [{ name: 'A', options: { num_ctx: 1 } }, { name: 'B', options: { num_ctx: 2 } }] }));
    assert.deepEqual(p.map((r) => r.index), p.map((_, i) => i));
  });

  it('has a deterministic PRNG (mulberry32 reference values)', () => {
    const r = mulberry32(42);
    const first = [r(), r(), r()];
    const again = mulberry32(42);
    assert.deepEqual(first, [again(), again(), again()]);
    assert.ok(first.every((v) => v >= 0 && v < 1));
  });
});
