// docs/FLEET.md and docs/fleet/job.yaml work as written: every object of the manifest is valid against
// the Kubernetes JSON schema as shipped (ajv-compiled) in the kubernetes-models package (and a broken
// Job is refused, so the check can fail); the Job's pod script runs once per completion index against
// three local engines (one per "host"), and the doc's tested collect block then compares and merges.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startEngines, type EngineHandle } from '../../../engine/api';
import { readMeta } from '../../../src/core/store/read';
import { CLI, requireBuiltCli } from '../../helpers/cli';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const MANIFEST = parseAllDocuments(readFileSync(join(process.cwd(), 'docs', 'fleet', 'job.yaml'), 'utf8')).map((d) => d.toJSON() as Obj);
const DOC = readFileSync(join(process.cwd(), 'docs', 'FLEET.md'), 'utf8');
const byKind = (kind: string): Obj => MANIFEST.find((o) => o.kind === kind)!;

/** The kubernetes-models class of an object (ESM only: loaded with a dynamic import). */
async function modelOf(o: Obj): Promise<new (data: Obj) => { validate(): void }> {
  const group = o.apiVersion === 'v1' ? 'v1' : o.apiVersion;
  const mod = (await import(`kubernetes-models/${group}/${o.kind}`)) as Record<string, new (data: Obj) => { validate(): void }>;
  return mod[o.kind];
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-e', '-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('docs/FLEET.md and docs/fleet/job.yaml', function () {
  this.timeout(240_000);

  it('every object is valid against the Kubernetes schema (kubernetes-models), and a broken Job is not', async () => {
    assert.deepEqual(MANIFEST.map((o) => o.kind), ['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Pod']);
    for (const o of MANIFEST) {
      const Model = await modelOf(o);
      assert.doesNotThrow(() => new Model(o).validate(), `${o.kind} ${o.metadata.name}`);
    }
    const Job = await modelOf(byKind('Job'));
    const broken = structuredClone(byKind('Job'));
    broken.spec.completions = 'three';
    assert.throws(() => new Job(broken).validate(), /completions must be integer/);
  });

  it('an Indexed Job of one pod per endpoint, one pod per node, the index picking the endpoint', () => {
    const job = byKind('Job');
    const hosts = (byKind('ConfigMap').data.endpoints as string).trim().split('\n');
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.equal(job.spec.completions, hosts.length);
    assert.equal(job.spec.parallelism, hosts.length);
    const anti = job.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    assert.equal(anti.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(anti.labelSelector.matchLabels, job.spec.template.metadata.labels);
    assert.match(job.spec.template.spec.containers[0].args[0], /JOB_COMPLETION_INDEX/);
  });

  describe('the pods\' script and the collect block against three engines', () => {
    let engines: EngineHandle[] = [];
    let dir: string;
    before(async () => {
      requireBuiltCli();
      // The engines serve the experiment's model name; each "host" decodes at its own rate.
      const model = JSON.parse(byKind('ConfigMap').data['experiment.json'] as string).model as string;
      engines = await startEngines(3, { mode: 'paced', models: [model], paced: { ttftMs: 10, tokensPerSec: 300, tokens: 16 } });
      await Promise.all(engines.map((e, i) => e.configure({ paced: { tokensPerSec: 300 + 50 * i } })));
      dir = mkdtempSync(join(tmpdir(), 'cf-fleet-'));
    });
    after(async () => {
      await Promise.all(engines.map((e) => e.stop()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('each index runs against its endpoint; compare and merge give one TR with every host\'s runs', () => {
      const fleet = join(dir, 'fleet');
      mkdirSync(fleet);
      const data = byKind('ConfigMap').data as Record<string, string>;
      writeFileSync(join(fleet, 'experiment.json'), data['experiment.json']);
      writeFileSync(join(fleet, 'endpoints'), `${engines.map((e) => e.url).join('\n')}\n`);
      const bin = join(dir, '.bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'chimeraforge'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
      chmodSync(join(bin, 'chimeraforge'), 0o755);
      const container = byKind('Job').spec.template.spec.containers[0];
      assert.deepEqual(container.command, ['bash', '-e', '-c']);
      // The container's env, with the mounts where this test put them (fleet-reports = what kubectl cp fetches).
      const env = { ...process.env, FLEET_DIR: fleet, REPORTS_DIR: join(dir, 'fleet-reports'), PATH: `${bin}:${process.env.PATH}` };
      for (let i = 0; i < engines.length; i++) {
        const r = bash(container.args[0], dir, { ...env, JOB_COMPLETION_INDEX: String(i) });
        assert.equal(r.code, 0, `index ${i}: ${r.out}`);
        assert.ok(existsSync(join(dir, 'fleet-reports', `host-${i}`, `TR${100 + i}`, 'meta.json')));
        assert.equal(readMeta(join(dir, 'fleet-reports', `host-${i}`, `TR${100 + i}`)).environment.endpoints[0].url, engines[i].url);
      }
      assert.notEqual(bash(container.args[0], dir, { ...env, JOB_COMPLETION_INDEX: '7' }).code, 0, 'an index without an endpoint line fails');
      const block = /<!-- tested: collect -->\s*```bash\n([\s\S]*?)\n```/.exec(DOC)![1];
      const c = bash(block, dir, env);
      assert.equal(c.code, 0, c.out);
      const merged = readMeta(join(dir, 'reports', 'TR110'));
      assert.deepEqual(merged.merged!.map((m) => m.tr), ['TR100', 'TR101', 'TR102']);
      assert.ok(existsSync(join(dir, 'reports', 'Technical_Report_110.md')), 'the merged report the doc names');
      const agent = merged.summary.variants.find((v) => v.name === 'agent') as { decode_tps: { n: number } } | undefined;
      const perHost = [100, 101, 102].map((t) => (readMeta(join(dir, 'reports', `TR${t}`)).summary.variants[0] as unknown as { decode_tps: { n: number } }).decode_tps.n);
      assert.equal(agent!.decode_tps.n, perHost.reduce((a, b) => a + b, 0), 'every host\'s counted runs');
    });
  });
});
