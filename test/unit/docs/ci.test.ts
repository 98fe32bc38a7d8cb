// docs/CI.md works as written: its blocks marked "tested" are taken from the file and run — the
// experiment file written out, the baseline commands, then every `run:` step of the workflow with bash
// -e (GitHub's default shell) — against the embedded paced engine in place of the Ollama service.
// Unchanged engine → the gate passes (exit 0); an engine 10% slower → the gate step fails with exit 1.
// The one step not run here is "Install the Chimeraforge CLI" (npm ci, npm run build, npm link in the
// Chimeraforge checkout): npm test has just run the first two in this checkout, and a `chimeraforge`
// on PATH that runs dist/cli.js stands for the link; the test checks that step says exactly that.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { CLI, requireBuiltCli } from '../../helpers/cli';

const DOC = readFileSync(join(process.cwd(), 'docs', 'CI.md'), 'utf8');

/** The fenced block right after `<!-- tested: NAME -->`. */
function testedBlock(doc: string, name: string): string {
  const m = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/CI.md has no block marked "tested: ${name}"`);
  return m[1];
}

interface Step { name?: string; run?: string; uses?: string; 'working-directory'?: string }
interface Workflow { jobs: { gate: { env: Record<string, string>; steps: Step[]; services: { ollama: { ports: string[] } } } } }

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-e', '-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('docs/CI.md works as written (embedded engine for the Ollama service)', function () {
  this.timeout(240_000);
  let engine: EngineHandle;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  const workflow = parseYaml(testedBlock(DOC, 'workflow')) as Workflow;
  const job = workflow.jobs.gate;

  before(async () => {
    requireBuiltCli();
    engine = await startEngine({ mode: 'paced', model: 'tiny', paced: { ttftMs: 10, tokensPerSec: 400, tokens: 24 } });
    repo = mkdtempSync(join(tmpdir(), 'cf-ci-doc-'));
    const file = join(repo, 'perf', 'agent.experiment.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, testedBlock(DOC, 'experiment'));
    // What `npm link` provides: a `chimeraforge` command running the built CLI.
    const bin = join(repo, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'chimeraforge'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'chimeraforge'), 0o755);
    env = { ...process.env, ...job.env, OLLAMA_URL: engine.url, MODEL: 'tiny:latest', PATH: `${bin}:${process.env.PATH}` };
  });
  after(async () => {
    await engine?.stop();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  /** Every `run:` step but the CLI install, in order; returns the exit code of the first that fails (0 when none). */
  function runSteps(): { code: number | null; step: string; out: string } {
    for (const s of job.steps.filter((x) => x.run !== undefined && x.name !== 'Install the Chimeraforge CLI')) {
      const r = bash(s.run!, repo, env);
      if (r.code !== 0) return { code: r.code, step: s.name ?? '', out: r.out };
    }
    return { code: 0, step: '', out: '' };
  }

  it('the workflow: the service on the port the steps use, and the install step is npm ci, npm run build, npm link', () => {
    assert.deepEqual(job.services.ollama.ports, ['11434:11434']);
    assert.equal(new URL(job.env.OLLAMA_URL).port, '11434');
    const install = job.steps.find((s) => s.name === 'Install the Chimeraforge CLI')!;
    assert.deepEqual(install.run!.trim().split('\n'), ['npm ci', 'npm run build', 'npm link']);
    assert.ok(existsSync(CLI), 'npm run build wrote dist/cli.js');
  });

  it('baseline commands, then the steps: the gate passes on an unchanged engine', () => {
    const base = bash(testedBlock(DOC, 'baseline'), repo, env);
    assert.equal(base.code, 0, base.out);
    assert.equal(JSON.parse(base.out.trim().split('\n').find((l) => l.startsWith('{'))!).trId, 'TR100');
    const r = runSteps();
    assert.equal(r.code, 0, `${r.step}: ${r.out}`);
    const meta = JSON.parse(readFileSync(join(repo, 'ci-reports', 'TR101', 'meta.json'), 'utf8')) as { adaptive: { stopped: string } };
    assert.equal(meta.adaptive.stopped, 'target-met', 'the paced engine is exact: adaptive repetitions stop at min');
    assert.ok(existsSync(join(repo, 'ci-reports', 'Technical_Report_101.md')), 'the report the doc names');
  });

  it('the same steps on an engine 10% slower: the gate step fails with exit 1 (regression)', async () => {
    await engine.configure({ paced: { tokensPerSec: 360 } });
    rmSync(join(repo, 'ci-reports'), { recursive: true, force: true });
    const r = runSteps();
    assert.equal(r.step, 'Gate on the committed baseline', r.out);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /regression/i);
  });

  it('the pull step fails on a model the server does not have', () => {
    const pull = job.steps.find((s) => s.name === 'Pull the model')!;
    const r = bash(pull.run!, repo, { ...env, MODEL: 'no-such-model:latest' });
    assert.notEqual(r.code, 0);
  });
});
