// Experiment templates: every preset validates against the schema and the semantic checks, the set
// covers every kind the product promises, and instantiation follows the user's settings.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseExperiment } from '../../../src/core/experiment/load';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { buildPlan } from '../../../src/core/experiment/plan';
import { freeFileName, instantiateTemplate, listTemplates } from '../../../src/vscode/templates';

const ROOT = join(__dirname, '..', '..', '..');
const PRESETS = join(ROOT, 'presets');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'experiment.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Raw = Record<string, unknown> & { kind: string; agents?: { name: string; endpoint?: string; options?: Record<string, unknown> }[]; endpoints?: Record<string, string> };
const raw = (file: string): Raw => JSON.parse(readFileSync(join(PRESETS, file), 'utf8')) as Raw;

describe('vscode templates: presets/tr*.experiment.json', () => {
  const templates = listTemplates(PRESETS);

  it('lists the eleven templates, and never the demo presets', () => {
    assert.deepEqual(templates.map((t) => t.file), [
      'tr108-prompt-sweep.experiment.json', 'tr109-agent-ab.experiment.json',
      'tr110-baseline-vs-chimera.experiment.json', 'tr110-chimera-hetero.experiment.json', 'tr110-chimera-homo.experiment.json',
      'tr112-implementations.experiment.json',
      'tr114-baseline-vs-chimera-dual.experiment.json', 'tr114-chimera-hetero-dual.experiment.json', 'tr114-chimera-homo-dual.experiment.json',
      'tr115-variants.experiment.json', 'tr116-capacity-sweep.experiment.json',
    ]);
  });

  for (const file of listTemplates(PRESETS).map((t) => t.file)) {
    it(`${file} validates against schema/experiment.schema.json and plans runs`, () => {
      const data = raw(file);
      const ok = validate(data);
      assert.equal(ok, true, JSON.stringify(validate.errors));
      const x = normalizeExperiment(parseExperiment(readFileSync(join(PRESETS, file), 'utf8'), file), { sourceFile: join(PRESETS, file), workspaceDir: ROOT });
      assert.ok(buildPlan(x).length > 0);
    });
  }

  const cases: { file: string; kind: string; check: (r: Raw) => void }[] = [
    { file: 'tr108-prompt-sweep.experiment.json', kind: 'prompt', check: (r) => assert.deepEqual(Object.keys(r.sweep as object), ['num_gpu', 'num_ctx', 'temperature']) },
    { file: 'tr109-agent-ab.experiment.json', kind: 'agent', check: (r) => assert.deepEqual((r.variants as { name: string }[]).map((v) => v.name), ['baseline', 'chimera']) },
    { file: 'tr110-baseline-vs-chimera.experiment.json', kind: 'multi-agent', check: (r) => { assert.deepEqual(r.agents?.[0].options, {}); assert.deepEqual(Object.keys(r.endpoints ?? {}), ['default']); } },
    { file: 'tr110-chimera-hetero.experiment.json', kind: 'multi-agent', check: (r) => assert.notDeepEqual(r.agents?.[0].options, r.agents?.[1].options) },
    { file: 'tr110-chimera-homo.experiment.json', kind: 'multi-agent', check: (r) => assert.deepEqual(r.agents?.[0].options, r.agents?.[1].options) },
    { file: 'tr114-chimera-homo-dual.experiment.json', kind: 'multi-agent', check: (r) => assert.deepEqual(r.agents?.map((a) => a.endpoint), ['default', 'b']) },
    { file: 'tr112-implementations.experiment.json', kind: 'command', check: (r) => assert.deepEqual((r.implementations as { argv: string[] }[]).map((i) => i.argv[1]), ['examples/agents/node-agent.mjs', 'examples/agents/python_agent.py']) },
    { file: 'tr115-variants.experiment.json', kind: 'multi-agent', check: (r) => assert.equal((r.variants as unknown[]).length, 6) },
    { file: 'tr116-capacity-sweep.experiment.json', kind: 'capacity', check: (r) => assert.deepEqual((r.load as { levels: number[] }).levels, [1, 2, 4, 8, 16]) },
  ];
  for (const c of cases) {
    it(`${c.file} is a ${c.kind} experiment of its shape`, () => {
      const r = raw(c.file);
      assert.equal(r.kind, c.kind);
      c.check(r);
    });
  }

  it('the example agents the TR112 template runs exist in the repository', () => {
    for (const f of ['node-agent.mjs', 'python_agent.py']) assert.ok(readFileSync(join(ROOT, 'examples', 'agents', f), 'utf8').length > 100);
  });
});

describe('vscode templates: instantiation', () => {
  const settings = { defaultModel: 'llama3.2:3b', endpoints: { default: 'http://gpu-a:11434', b: 'http://gpu-b:11434' } };

  const cases: { file: string; endpoints: Record<string, string> }[] = [
    { file: 'tr109-agent-ab.experiment.json', endpoints: { default: 'http://gpu-a:11434' } },
    { file: 'tr114-chimera-hetero-dual.experiment.json', endpoints: { default: 'http://gpu-a:11434', b: 'http://gpu-b:11434' } },
  ];
  for (const c of cases) {
    it(`${c.file}: default model and endpoint URLs from the settings, no $schema, still valid`, () => {
      const text = instantiateTemplate(readFileSync(join(PRESETS, c.file), 'utf8'), c.file, settings);
      const out = JSON.parse(text) as Raw;
      assert.equal(out.model, 'llama3.2:3b');
      assert.deepEqual(out.endpoints, c.endpoints);
      assert.equal('$schema' in out, false);
      assert.equal(out.title, raw(c.file).title);
      assert.equal(validate(out), true, JSON.stringify(validate.errors));
    });
  }

  it('an endpoint name missing from the settings keeps the template URL', () => {
    const out = JSON.parse(instantiateTemplate(readFileSync(join(PRESETS, 'tr115-variants.experiment.json'), 'utf8'), 'x', { defaultModel: 'm', endpoints: { default: 'http://a:1' } })) as Raw;
    assert.deepEqual(out.endpoints, { default: 'http://a:1', b: 'http://127.0.0.1:11435' });
  });

  const names: { taken: string[]; expect: string }[] = [
    { taken: [], expect: 'tr109-agent-ab.experiment.json' },
    { taken: ['tr109-agent-ab.experiment.json'], expect: 'tr109-agent-ab-2.experiment.json' },
    { taken: ['tr109-agent-ab.experiment.json', 'tr109-agent-ab-2.experiment.json'], expect: 'tr109-agent-ab-3.experiment.json' },
  ];
  for (const n of names) {
    it(`freeFileName with ${n.taken.length} taken → ${n.expect}`, () => {
      assert.equal(freeFileName('tr109-agent-ab.experiment.json', (f) => n.taken.includes(f)), n.expect);
    });
  }
});
