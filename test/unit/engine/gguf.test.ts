// The generated GGUF: deterministic bytes, parsed by node-llama-cpp, cached atomically.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, MODEL_PRESETS } from '../../../engine/gguf/model';
import { ensureModelFile, modelPath, specFor, specKey } from '../../../engine/gguf/cache';
import { buildVocab } from '../../../engine/gguf/vocab';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('engine GGUF generator', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'cf-gguf-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes identical bytes on every run; the seed and the EOS bias change them', () => {
    const a = buildModel(specFor('tiny', -20));
    const b = buildModel(specFor('tiny', -20));
    assert.equal(sha(a.bytes), sha(b.bytes));
    assert.notEqual(sha(a.bytes), sha(buildModel({ ...specFor('tiny', -20), seed: 2 }).bytes));
    assert.notEqual(sha(a.bytes), sha(buildModel(specFor('tiny', 0)).bytes));
  });

  const sizes: ['tiny' | 'mid', number, number][] = [['tiny', 141_120, 576_704], ['mid', 3_645_696, 14_582_784]];
  for (const [preset, params, bytesMin] of sizes) {
    it(`${preset}: ${params} parameters, ~${Math.round(bytesMin / 1024)} KiB, F32`, () => {
      const m = buildModel(specFor(preset, -20));
      assert.equal(m.parameterCount, params);
      assert.equal(m.vocabSize, 460);
      assert.ok(m.bytes.length >= params * 4 && m.bytes.length < params * 4 + 64 * 1024, `${m.bytes.length} bytes`);
    });
  }

  it('the vocabulary has byte fallback for all 256 bytes', () => {
    const v = buildVocab();
    assert.equal(v.tokens.filter((_, i) => v.types[i] === 6).length, 256);
    assert.equal(v.tokens[v.firstNormal], '\u2581');
    assert.deepEqual([v.unk, v.bos, v.eos], [0, 1, 2]);
  });

  it('node-llama-cpp readGgufFileInfo parses it with the metadata as written', async () => {
    const file = await ensureModelFile(specFor('tiny', -20), dir);
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(file.path);
    assert.equal(info.version, 3);
    assert.equal(info.tensorInfo?.length, 2 + 9 * MODEL_PRESETS.tiny.layers + 1);
    const md = info.metadata as unknown as { general: Record<string, unknown>; llama: Record<string, unknown>; tokenizer: { ggml: Record<string, unknown> } };
    assert.equal(md.general.architecture, 'llama');
    assert.equal(md.general.name, 'chimeraforge-tiny');
    assert.equal(md.llama.embedding_length, 64);
    assert.equal(md.llama.block_count, 2);
    assert.equal(md.llama.context_length, 2048);
    assert.equal(md.tokenizer.ggml.model, 'llama');
    assert.equal((md.tokenizer.ggml.tokens as string[]).length, 460);
  });

  it('caches by a key of the parameters, in CHIMERAFORGE_CACHE_DIR-style dirs, with no temp files left', async () => {
    const spec = specFor('tiny', 1);
    const [a, b] = await Promise.all([ensureModelFile(spec, dir), ensureModelFile(spec, dir)]);
    assert.equal(a.path, modelPath(spec, dir));
    assert.equal(a.digest, b.digest);
    assert.equal(a.digest, sha(buildModel(spec).bytes));
    const again = await ensureModelFile(spec, dir);
    assert.equal(again.created, false);
    assert.equal(again.digest, a.digest);
    assert.notEqual(specKey(spec), specKey(specFor('tiny', 0)));
    const files = await readdir(join(dir, 'models'));
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), []);
    assert.ok(files.includes(`chimeraforge-tiny-${specKey(spec)}.gguf`), files.join(','));
  });
});
