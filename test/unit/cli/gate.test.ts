// `chimeraforge gate` as a CI job runs it (dist/cli.js), on TRs the runner made against the real paced
// engine with known differences. decode_tps is the server's eval_count / eval_duration, exact on the
// paced schedule: those cases check the gate's plumbing over real TRs (the rule's numbers are checked
// against scipy in test/unit/stats/gate.test.ts). Spread comes from real stalls of the fault engine.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta } from '../../../src/core/store/read';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };

interface Gate { code: number | null; stdout: string; stderr: string }
function gate(ws: TestWorkspace, ...args: string[]): Gate {
  const r = spawnSync(process.execPath, [CLI, 'gate', ...args, '--reports-dir', ws.reportsDir], { cwd: ws.dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface GateJson {
  outcome: string; decision: string; exitCode: number; changePct: number; changeCi95Pct: [number, number] | null; runsPerSide: number | null;
  nBase: number; nNew: number; provenance: { field: string; a: string | null; b: string | null; blocking: boolean }[]; definitions: { ci: string };
}
function gateJson(ws: TestWorkspace, ...args: string[]): GateJson & { code: number | null } {
  const r = gate(ws, ...args, '--json');
  assert.ok(r.stdout.trim() !== '', r.stderr);
  return { ...(JSON.parse(r.stdout) as GateJson), code: r.code };
}

describe('chimeraforge gate (real TRs from the paced engine)', function () {
  this.timeout(180_000);
  let paced: EngineHandle;
  let stalls: EngineHandle;
  const ws = makeWorkspace(false);

  async function tr(e: EngineHandle, x: Partial<ExperimentFile>): Promise<string> {
    const file: ExperimentFile = { title: 'gate', kind: 'prompt', model: 'tiny:latest', prompts: ['hello'], warmup: 0, repetitions: 3, ...x, endpoints: { default: e.url } };
    const r = await runExperiment(normalizeExperiment(file, { workspaceDir: ws.dir }), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    return r.trId;
  }

  const ids: Record<string, string> = {};
  before(async function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    paced = await startEngine({ mode: 'paced', models: ['tiny:latest', 'other:latest'], paced: { ttftMs: 5, tokensPerSec: 400, tokens: 8 } });
    // Every request has a 50% (seeded) chance of a 120 ms stall after its first token; with 2 tokens at
    // 200 tok/s the schedule cannot absorb it, so e2e_ms is either ~15 ms or ~135 ms: real spread.
    stalls = await startEngine({ mode: 'fault', fault: { kind: 'stall', probability: 0.5, seed: 3, stallMs: 120, atToken: 1 }, paced: { ttftMs: 5, tokensPerSec: 200, tokens: 2 } });
    ids.base = await tr(paced, {});
    ids.slower = await tr(paced, { options: { paced_tps: 360 } });
    ids.same1 = await tr(paced, { repetitions: 1 });
    ids.same = await tr(paced, {});
    ids.otherModel = await tr(paced, { model: 'other:latest' });
    ids.noisyA = await tr(stalls, { repetitions: 4 });
    ids.noisyB = await tr(stalls, { repetitions: 4 });
  });
  after(async () => Promise.all([paced?.stop(), stalls?.stop()]));

  it('a variant 10% slower (paced_tps 400 → 360) at a 5% margin: exit 1, REGRESSION', () => {
    const r = gate(ws, ids.base, ids.slower, '--metric', 'decode_tps', '--max-regression', '5');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const first = r.stdout.split('\n')[0];
    assert.equal(first, `REGRESSION — decode_tps of ${ids.slower}:default vs ${ids.base}:default: −10.0% (95% CI [−10.0%, −10.0%]; higher is better): worse than the 5% margin`);
    assert.match(r.stdout, /CI: change = \(mean_new \/ mean_base − 1\) × 100; its 95% CI is the ratio CI/);
    assert.match(r.stdout, /provenance differences \(base → new\):\n {4}options\.paced_tps: not recorded → 360/);
    assert.match(r.stdout, /exit 1 \(regression\)$/m);
    const j = gateJson(ws, ids.base, ids.slower, '--metric', 'decode_tps');
    assert.deepEqual([j.code, j.exitCode, j.outcome, j.decision], [1, 1, 'regression', 'regression']);
    assert.ok(Math.abs(j.changePct - -10) < 1e-4, String(j.changePct)); // eval_duration is whole nanoseconds
    // At a 15% margin the same 10% is tolerated.
    assert.equal(gate(ws, ids.base, ids.slower, '--metric', 'decode_tps', '--max-regression', '15').code, 0);
  });

  it('identical schedules: exit 4 with one run on a side (no spread known), exit 0 once both sides have runs enough', () => {
    const small = gateJson(ws, ids.base, ids.same1, '--metric', 'decode_tps');
    assert.deepEqual([small.code, small.outcome, small.nNew, small.changeCi95Pct, small.runsPerSide], [4, 'inconclusive', 1, null, null]);
    const r = gate(ws, ids.base, ids.same1, '--metric', 'decode_tps');
    assert.match(r.stdout, /^INCONCLUSIVE — .*at least 2 runs per side are needed to estimate the spread$/m);
    const big = gateJson(ws, ids.base, ids.same, '--metric', 'decode_tps');
    assert.deepEqual([big.code, big.outcome, big.changeCi95Pct], [0, 'pass', [0, 0]]);
    assert.match(gate(ws, ids.base, ids.same, '--metric', 'decode_tps').stdout, /^PASS — /);
  });

  it('real spread at small n: exit 4 and the runs per side that would decide it', () => {
    const j = gateJson(ws, ids.noisyA, ids.noisyB, '--metric', 'e2e_ms', '--max-regression', '5');
    assert.ok(j.changeCi95Pct !== null, 'both sides have spread');
    assert.equal(j.code, 4, JSON.stringify(j));
    assert.equal(j.outcome, 'inconclusive');
    assert.ok(j.changeCi95Pct[0] < 5 && j.changeCi95Pct[1] > 5, `CI ${j.changeCi95Pct} straddles +5% (e2e_ms: higher is worse)`);
    assert.ok(j.runsPerSide !== null && j.runsPerSide > 4, String(j.runsPerSide));
    const r = gate(ws, ids.noisyA, ids.noisyB, '--metric', 'e2e_ms');
    assert.equal(r.code, 4);
    assert.match(r.stdout, new RegExp(`^INCONCLUSIVE — e2e_ms .*the CI straddles the 5% margin; about ${j.runsPerSide!.toLocaleString('en-US')} runs per side would decide it$`, 'm'));
  });

  it('a different model (digest) on one side: exit 2 MISMATCH; --allow-mismatch decides', () => {
    const r = gate(ws, ids.base, ids.otherModel, '--metric', 'decode_tps');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^MISMATCH — .* differ in model: tiny:latest → other:latest \(mismatch\); model\.digest: [0-9a-f]{12} → [0-9a-f]{12} \(mismatch\)/);
    const j = gateJson(ws, ids.base, ids.otherModel, '--metric', 'decode_tps');
    assert.deepEqual([j.outcome, j.decision], ['mismatch', 'pass']);
    assert.deepEqual(j.provenance.filter((d) => d.blocking).map((d) => d.field), ['model', 'model.digest']);
    const allowed = gate(ws, ids.base, ids.otherModel, '--metric', 'decode_tps', '--allow-mismatch');
    assert.equal(allowed.code, 0, allowed.stdout);
    assert.match(allowed.stdout, /decided despite the mismatch \(--allow-mismatch\)/);
  });

  it('git provenance end to end: a clean and a dirty run of a temp repo; compare and gate list git.dirty', async () => {
    const repo = makeWorkspace(false);
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo.dir, env: GIT_ENV, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo.dir, 'agent.py'), 'v1\n');
    writeFileSync(join(repo.dir, '.gitignore'), 'reports/\n');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    const run = async (): Promise<string> => (await runExperiment(normalizeExperiment({ title: 'g', kind: 'prompt', model: 'tiny:latest', prompts: ['hi'], warmup: 0, repetitions: 2, endpoints: { default: paced.url } }, { workspaceDir: repo.dir }), { reportsDir: repo.reportsDir, gpuSampling: false })).trId;
    const clean = await run();
    writeFileSync(join(repo.dir, 'agent.py'), 'v2\n');
    const dirty = await run();
    const head = git('rev-parse', 'HEAD');
    assert.deepEqual(readMeta(join(repo.reportsDir, clean)).environment.git, { commit: head, branch: 'main', dirty: false, diffHash: null });
    const g = readMeta(join(repo.reportsDir, dirty)).environment.git;
    assert.equal(g?.dirty, true);
    assert.match(g?.diffHash ?? '', /^sha256:[0-9a-f]{64}$/);
    const j = gateJson(repo, clean, dirty, '--metric', 'decode_tps');
    assert.deepEqual(j.provenance, [{ field: 'git.dirty', a: 'clean', b: `dirty (${g!.diffHash!.slice(7, 19)})`, blocking: false }]);
    assert.equal(j.code, 0, 'git differences are listed, never a mismatch');
    const c = spawnSync(process.execPath, [CLI, 'compare', clean, dirty, '--reports-dir', repo.reportsDir], { cwd: repo.dir, encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const stored = readMeta(join(repo.reportsDir, dirty)).summary.comparisons.find((x) => x.aTr === clean);
    assert.deepEqual(stored?.provenance, j.provenance);
    const report = readFileSync(join(repo.reportsDir, `Technical_Report_${dirty.slice(2)}.md`), 'utf8');
    assert.match(report, /\| `git\.dirty` \| clean \| dirty \(/);
    assert.match(report, /\*\*Git:\*\* `[0-9a-f]{12}` on `main`, dirty, diff `[0-9a-f]{12}`/);
  });

  it('bad input: exit 2 with what to do (unknown metric, bad margin, missing TR, no variant named)', () => {
    const metric = gate(ws, ids.base, ids.same, '--metric', 'speed');
    assert.equal(metric.code, 2);
    assert.match(metric.stderr, /unknown metric "speed"/);
    assert.equal(gate(ws, ids.base, ids.same, '--metric', 'decode_tps', '--max-regression', 'lots').code, 2);
    assert.equal(gate(ws, ids.base, 'TR999', '--metric', 'decode_tps').code, 2);
    assert.equal(gate(ws, ids.base, ids.same).code, 2, '--metric is required');
    assert.equal(gate(ws, ids.base, `${ids.base}:default`, '--metric', 'decode_tps').code, 2);
  });
});
