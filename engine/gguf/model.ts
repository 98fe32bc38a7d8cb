// A tiny llama-architecture model with deterministic random weights (seeded PRNG: same bytes every run).
// Readable output: residual channel 0 carries a constant, and the output layer reads it as a bias that
// favours printable tokens, disfavours raw bytes/control tokens, and sets the EOS tendency (eosBias).
import { mulberry32 } from '../../src/core/random';
import { GGUF_TYPE, writeGguf, type GgufTensor, type GgufValue } from './writer';
import { buildVocab } from './vocab';

export interface ModelSpec {
  name: string;
  layers: number;
  embd: number;
  ff: number;
  heads: number;
  headsKv: number;
  ctx: number;
  seed: number;
  /** Logit bias of </s>: -20 never stops (use num_predict), 0..1 stops after a few to a few hundred tokens. */
  eosBias: number;
}

export const MODEL_PRESETS: Record<'tiny' | 'mid', Omit<ModelSpec, 'eosBias'>> = {
  tiny: { name: 'chimeraforge-tiny', layers: 2, embd: 64, ff: 128, heads: 4, headsKv: 4, ctx: 2048, seed: 1 },
  mid: { name: 'chimeraforge-mid', layers: 4, embd: 256, ff: 768, heads: 8, headsKv: 8, ctx: 2048, seed: 1 },
};

const CHAT_TEMPLATE = "{% for m in messages %}{{ '<|' + m['role'] + '|>\n' + m['content'] + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}";

export interface BuiltModel {
  bytes: Buffer;
  parameterCount: number;
  vocabSize: number;
}

export function buildModel(spec: ModelSpec): BuiltModel {
  const rnd = mulberry32(spec.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const vocab = buildVocab();
  const nVocab = vocab.tokens.length;
  const { embd, ff } = spec;
  const embdKv = (embd / spec.heads) * spec.headsKv;
  const tensors: GgufTensor[] = [];
  const tensor = (name: string, dims: number[], init: (i: number) => number): void => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = init(i);
    tensors.push({ name, dims, data });
  };
  const randn = (scale: number) => (): number => gauss() * scale;
  const ones = (): number => 1;
  tensor('token_embd.weight', [embd, nVocab], (i) => (i % embd === 0 ? 4 : gauss() * 0.5));
  for (let l = 0; l < spec.layers; l++) {
    const p = `blk.${l}.`;
    tensor(`${p}attn_norm.weight`, [embd], ones);
    tensor(`${p}attn_q.weight`, [embd, embd], randn(0.3));
    tensor(`${p}attn_k.weight`, [embd, embdKv], randn(0.3));
    tensor(`${p}attn_v.weight`, [embd, embdKv], randn(0.3));
    // Rows writing channel 0 stay zero so the bias channel survives every residual add.
    tensor(`${p}attn_output.weight`, [embd, embd], (i) => (Math.floor(i / embd) === 0 ? 0 : gauss() * 0.02));
    tensor(`${p}ffn_norm.weight`, [embd], ones);
    tensor(`${p}ffn_gate.weight`, [embd, ff], randn(0.3));
    tensor(`${p}ffn_up.weight`, [embd, ff], randn(0.3));
    tensor(`${p}ffn_down.weight`, [ff, embd], (i) => (Math.floor(i / ff) === 0 ? 0 : gauss() * 0.02));
  }
  tensor('output_norm.weight', [embd], ones);
  const scale = Math.sqrt(embd / 64);
  tensor('output.weight', [embd, nVocab], (i) => {
    const tok = Math.floor(i / embd);
    if (i % embd !== 0) return gauss() * 0.6;
    const bias = tok >= vocab.firstNormal ? 1 : tok === vocab.eos ? spec.eosBias : -20;
    return bias * scale;
  });
  const parameterCount = tensors.reduce((a, t) => a + t.data.length, 0);

  const md = new Map<string, GgufValue>();
  const u32 = (k: string, v: number): void => { md.set(k, { type: GGUF_TYPE.U32, value: v }); };
  const f32 = (k: string, v: number): void => { md.set(k, { type: GGUF_TYPE.F32, value: v }); };
  const str = (k: string, v: string): void => { md.set(k, { type: GGUF_TYPE.STRING, value: v }); };
  str('general.architecture', 'llama');
  str('general.name', spec.name);
  u32('general.file_type', 0);
  u32('general.alignment', 32);
  md.set('general.parameter_count', { type: GGUF_TYPE.U64, value: parameterCount });
  u32('llama.context_length', spec.ctx);
  u32('llama.embedding_length', embd);
  u32('llama.block_count', spec.layers);
  u32('llama.feed_forward_length', ff);
  u32('llama.attention.head_count', spec.heads);
  u32('llama.attention.head_count_kv', spec.headsKv);
  f32('llama.attention.layer_norm_rms_epsilon', 1e-5);
  u32('llama.rope.dimension_count', embd / spec.heads);
  f32('llama.rope.freq_base', 10000);
  u32('llama.vocab_size', nVocab);
  str('tokenizer.ggml.model', 'llama');
  md.set('tokenizer.ggml.tokens', { type: GGUF_TYPE.ARRAY, elem: GGUF_TYPE.STRING, value: vocab.tokens });
  md.set('tokenizer.ggml.scores', { type: GGUF_TYPE.ARRAY, elem: GGUF_TYPE.F32, value: vocab.scores });
  md.set('tokenizer.ggml.token_type', { type: GGUF_TYPE.ARRAY, elem: GGUF_TYPE.I32, value: vocab.types });
  u32('tokenizer.ggml.bos_token_id', vocab.bos);
  u32('tokenizer.ggml.eos_token_id', vocab.eos);
  u32('tokenizer.ggml.unknown_token_id', vocab.unk);
  md.set('tokenizer.ggml.add_bos_token', { type: GGUF_TYPE.BOOL, value: true });
  md.set('tokenizer.ggml.add_eos_token', { type: GGUF_TYPE.BOOL, value: false });
  str('tokenizer.chat_template', CHAT_TEMPLATE);
  return { bytes: writeGguf(md, tensors), parameterCount, vocabSize: nVocab };
}
