// Provenance differences between two TRs' meta.json (PRODUCT.md §11.3): which facts are compared, which
// block the gate (model digest, server version, GPU), and the "options other than the compared ones" rule.
import assert from 'node:assert/strict';
import { provenanceDifferences } from '../../../src/core/store/provenance';
import type { Meta } from '../../../src/core/types';

function meta(over: { experiment?: Record<string, unknown>; version?: string | null; digest?: string | null; gpus?: string[]; hostname?: string; git?: Meta['environment']['git'] } = {}): Meta {
  return {
    experiment: { hash: 'sha256:x', title: 't', kind: 'prompt', model: 'm:1', endpoint: 'default', endpoints: { default: 'http://a:1' }, maxTokens: 64, repetitions: 5,
      variants: [{ name: 'v', model: 'm:1', options: { num_ctx: 2048 } }, { name: 'w', model: 'm:1', options: { num_ctx: 4096 } }], ...over.experiment },
    environment: {
      endpoints: [{ name: 'default', url: 'http://a:1', version: over.version === undefined ? '0.9.0' : over.version, models: [{ name: 'm:1', digest: over.digest === undefined ? 'sha256:aaaaaaaaaaaaaaaa' : over.digest, parameter_size: null, quantization_level: null }] }],
      host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20', hostname: over.hostname ?? 'h1' },
      gpus: (over.gpus ?? []).map((name) => ({ name })),
      tool: { name: 'chimeraforge', version: '0.1.0' },
      ...(over.git ? { git: over.git } : {}),
    },
  } as unknown as Meta;
}

const fields = (a: Meta, b: Meta, va = 'v', vb = 'v'): string[] => provenanceDifferences({ meta: a, variant: va }, { meta: b, variant: vb }).map((d) => `${d.field}${d.blocking ? '!' : ''}`);

describe('store/provenance', () => {
  it('the same facts: nothing differs (endpoint URLs, titles and repetitions are not compared)', () => {
    assert.deepEqual(fields(meta(), meta({ experiment: { title: 'other', repetitions: 50, endpoints: { default: 'http://ci:11434' } } })), []);
  });

  it('model digest, server version and GPU block; host, harness settings and git are listed', () => {
    assert.deepEqual(fields(meta(), meta({ digest: 'sha256:bbbbbbbbbbbbbbbb' })), ['model.digest!']);
    assert.deepEqual(fields(meta(), meta({ version: '0.9.1' })), ['server.version!']);
    assert.deepEqual(fields(meta(), meta({ gpus: ['NVIDIA H100'] })), ['gpu!']);
    assert.deepEqual(fields(meta(), meta({ hostname: 'h2', experiment: { maxTokens: 128 } })), ['host.hostname', 'experiment.maxTokens']);
  });

  it('an unknown digest or version on one side is listed, not blocking (it cannot prove a mismatch)', () => {
    assert.deepEqual(fields(meta(), meta({ digest: null, version: null })), ['model.digest', 'server.version']);
  });

  it('options: listed for the same variant in two TRs, left out when different variants are compared', () => {
    const b = meta({ experiment: { variants: [{ name: 'v', model: 'm:1', options: { num_ctx: 8192 } }, { name: 'w', model: 'm:1', options: { num_ctx: 4096 } }] } });
    const d = provenanceDifferences({ meta: meta(), variant: 'v' }, { meta: b, variant: 'v' });
    assert.deepEqual(d, [{ field: 'options.num_ctx', a: '2048', b: '8192', blocking: false }]);
    assert.deepEqual(fields(meta(), meta(), 'v', 'w'), []);
  });

  it('git: commit, dirty state, and one side without git', () => {
    const clean = { commit: 'c1', branch: 'main', dirty: false, diffHash: null };
    const dirty = { commit: 'c1', branch: 'main', dirty: true, diffHash: 'sha256:0123456789abcdef0123' };
    assert.deepEqual(fields(meta({ git: clean }), meta({ git: clean })), []);
    assert.deepEqual(fields(meta({ git: clean }), meta({ git: { ...clean, commit: 'c2' } })), ['git.commit']);
    const d = provenanceDifferences({ meta: meta({ git: clean }), variant: 'v' }, { meta: meta({ git: dirty }), variant: 'v' });
    assert.deepEqual(d, [{ field: 'git.dirty', a: 'clean', b: 'dirty (0123456789ab)', blocking: false }]);
    assert.deepEqual(fields(meta({ git: dirty }), meta({ git: dirty })), [], 'the same diff on the same commit is the same code');
    assert.deepEqual(fields(meta(), meta({ git: clean })), ['git']);
  });
});
