import assert from 'node:assert/strict';
import { parseExperiment, jsonPath } from '../../../src/core/experiment/load';
import { ChimeraError } from '../../../src/core/errors';

function problemsOf(obj: unknown): string[] {
  try {
    parseExperiment(typeof obj === 'string' ? obj : JSON.stringify(obj), 'x.experiment.json');
    return [];
  } catch (e) {
    assert.ok(e instanceof ChimeraError);
    return [e.message, ...(e.details ?? [])];
  }
}

const ok = { title: 't', kind: 'prompt', prompts: ['hi'] };

describe('experiment file validation', () => {
  it('accepts the PRODUCT.md example shape with comments and trailing commas', () => {
    const text = `{
      // a comment
      "title": "Baseline vs chimera", "kind": "prompt", "model": "gemma3:latest",
      "endpoints": { "default": "http://127.0.0.1:11434", "b": "http://127.0.0.1:11435" },
      "prompts": ["a", "b"],
      "variants": [ { "name": "baseline", "options": {} }, { "name": "chimera", "options": { "num_gpu": 60, "num_ctx": 512, "temperature": 0.8 } } ],
      "sweep": { "num_gpu": [60, 80], "num_ctx": [512] },
      "repetitions": 5, "warmup": 1, "order": "interleaved", "seed": 42, "cooldownMs": 0,
      "unloadBetweenVariants": false, "maxTokens": 128, "timeoutMs": 120000, "tr": "TR116", "supersedes": "TR114",
    }`;
    const x = parseExperiment(text, 'a.json');
    assert.equal(x.variants?.length, 2);
  });

  it('reports malformed JSON with line and column', () => {
    const p = problemsOf('{\n  "title": "t",\n  "kind": "prompt"\n  "prompts": []\n}');
    assert.match(p[0], /x\.experiment\.json is not valid JSON/);
    assert.ok(p.some((l) => /^line 4, column 3: CommaExpected$/.test(l)), p.join('\n'));
  });

  const table: [string, unknown, RegExp][] = [
    ['missing title', { kind: 'prompt', prompts: ['a'] }, /^\(root\): missing required property "title"$/],
    ['unknown kind', { ...ok, kind: 'bogus' }, /^kind: must be one of "prompt", "agent", "multi-agent", "command", "capacity" \(got "bogus"\)$/],
    ['wrong type', { ...ok, repetitions: 'five' }, /^repetitions: must be integer or object \(got "five"\)$/],
    ['negative repetitions', { ...ok, repetitions: -1 }, /^repetitions: must be >= 1 \(got -1\)$/],
    ['empty variants', { ...ok, variants: [] }, /^variants: must NOT have fewer than 1 items$/],
    ['option type', { ...ok, variants: [{ name: 'a', options: { num_ctx: 'big' } }] }, /^variants\[0\]\.options\.num_ctx: must be integer \(got "big"\)$/],
    ['unknown property', { ...ok, variants: [{ name: 'a', optionz: {} }] }, /^variants\[0\]: unknown property "optionz"$/],
    ['tr with a path separator', { ...ok, tr: '../TR1' }, /^tr: must match pattern/],
    ['tr with ..', { ...ok, tr: 'TR1/..' }, /^tr: must match pattern/],
    ['non-http endpoint', { ...ok, endpoints: { default: 'file:///etc/passwd' } }, /^endpoints\.default: must match pattern/],
    ['prompt kind without prompts', { title: 't', kind: 'prompt' }, /^\(root\): needs one of "prompts" or "promptsFile"$/],
    ['multi-agent without agents', { title: 't', kind: 'multi-agent', workflow: { type: 'report-agent' } }, /^\(root\): missing required property "agents"$/],
    ['unknown workflow type', { title: 't', kind: 'agent', workflow: { type: 'magic' } }, /^workflow: "type" must be one of/],
    ['unknown endpoint name', { title: 't', kind: 'multi-agent', workflow: { type: 'report-agent' }, agents: [{ name: 'a' }, { name: 'b', endpoint: 'nope' }] }, /^agents\[1\]\.endpoint: unknown endpoint "nope" \(declared: default\)$/],
    ['duplicate variant', { ...ok, variants: [{ name: 'a' }, { name: 'a' }] }, /^variants\[1\]\.name: duplicate name "a"$/],
    ['outputTexts.every of 0', { ...ok, outputTexts: { every: 0 } }, /^outputTexts\.every: must be >= 1 \(got 0\)$/],
    ['an unknown key in outputTexts', { ...ok, outputTexts: { keep: 2 } }, /^outputTexts: unknown property "keep"$/],
    ['agentOptions for a missing agent', { title: 't', kind: 'multi-agent', workflow: { type: 'report-agent' }, agents: [{ name: 'a' }, { name: 'b' }], variants: [{ name: 'v', agentOptions: { c: {} } }] }, /^variants\[0\]\.agentOptions\.c: no agent named "c"$/],
  ];
  for (const [name, obj, re] of table) {
    it(`refuses ${name} with the JSON path`, () => {
      const p = problemsOf(obj);
      assert.match(p[0] ?? '', /x\.experiment\.json is not a valid experiment/);
      assert.ok(p.slice(1).some((l) => re.test(l)), `expected ${re} in:\n${p.join('\n')}`);
    });
  }

  it('lists every problem, not only the first', () => {
    const p = problemsOf({ title: 't', kind: 'prompt', prompts: ['a'], repetitions: 0, warmup: -2, order: 'zigzag' });
    assert.equal(p.length - 1, 3, p.join('\n'));
  });

  it('converts ajv instance paths', () => {
    assert.equal(jsonPath(''), '(root)');
    assert.equal(jsonPath('/variants/1/options/num_ctx'), 'variants[1].options.num_ctx');
    assert.equal(jsonPath('/endpoints/a~1b'), 'endpoints.a/b');
  });
});

describe('keepAlive and timeouts at load time', () => {
  it('accepts numbers and Go duration strings', () => {
    for (const keepAlive of [300, -1, 0, 1.5, '5m', '300s', '-1s', '1h30m', '0', '1.5s', '+10m']) {
      assert.deepEqual(problemsOf({ ...ok, keepAlive }), [], `keepAlive ${JSON.stringify(keepAlive)}`);
    }
  });

  it('refuses a unit-less or malformed keepAlive string with its JSON path, as Ollama refuses it with HTTP 400', () => {
    for (const keepAlive of ['300', '5', '5 m', '10M', 'forever', '', '1h2']) {
      const p = problemsOf({ ...ok, keepAlive });
      assert.match(p[0] ?? '', /not a valid experiment/, `keepAlive ${JSON.stringify(keepAlive)}`);
      assert.ok(p.some((l) => l.startsWith('keepAlive: must be a number of seconds, or a Go duration string with a unit') && l.endsWith(`(got ${JSON.stringify(keepAlive)})`)), p.join('\n'));
    }
  });

  it('firstByteTimeoutMs is a positive integer apart from timeoutMs', () => {
    assert.deepEqual(problemsOf({ ...ok, firstByteTimeoutMs: 300000, timeoutMs: 1000 }), []);
    assert.match(problemsOf({ ...ok, firstByteTimeoutMs: 0 }).join('\n'), /firstByteTimeoutMs: must be >= 1/);
  });
});

describe('outputTexts (which generated texts outputs.jsonl keeps)', () => {
  it('accepts every and maxBytes; the setting is its own name, apart from summary.variants[].outputs', () => {
    assert.deepEqual(problemsOf({ ...ok, outputTexts: { every: 10, maxBytes: 1000000 } }), []);
    assert.deepEqual(problemsOf({ ...ok, outputTexts: {} }), []);
  });
});
