// A minimal GGUF v3 writer: metadata key/values and F32 tensors, 32-byte aligned (the layout llama.cpp reads).

export const GGUF_TYPE = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 } as const;
type ScalarType = typeof GGUF_TYPE.U32 | typeof GGUF_TYPE.I32 | typeof GGUF_TYPE.F32 | typeof GGUF_TYPE.BOOL | typeof GGUF_TYPE.STRING | typeof GGUF_TYPE.U64;

export type GgufValue =
  | { type: ScalarType; value: number | bigint | boolean | string }
  | { type: typeof GGUF_TYPE.ARRAY; elem: ScalarType; value: readonly (number | string | boolean)[] };

export interface GgufTensor {
  name: string;
  /** ggml order: the contiguous (inner) dimension first. */
  dims: readonly number[];
  data: Float32Array;
}

const ALIGN = 32;
const GGML_TYPE_F32 = 0;

class ByteSink {
  private readonly parts: Buffer[] = [];
  size = 0;
  push(b: Buffer): void { this.parts.push(b); this.size += b.length; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v: number): void { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v: number | bigint): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v: number): void { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(v: string): void { const b = Buffer.from(v, 'utf8'); this.u64(b.length); this.push(b); }
  pad(): void { const r = this.size % ALIGN; if (r) this.push(Buffer.alloc(ALIGN - r)); }
  concat(): Buffer { return Buffer.concat(this.parts, this.size); }
}

function writeScalar(sink: ByteSink, type: ScalarType, v: number | bigint | boolean | string): void {
  switch (type) {
    case GGUF_TYPE.U32: return sink.u32(Number(v));
    case GGUF_TYPE.I32: return sink.i32(Number(v));
    case GGUF_TYPE.F32: return sink.f32(Number(v));
    case GGUF_TYPE.U64: return sink.u64(typeof v === 'bigint' ? v : Number(v));
    case GGUF_TYPE.BOOL: return sink.push(Buffer.from([v ? 1 : 0]));
    case GGUF_TYPE.STRING: return sink.str(String(v));
  }
}

/** Serialises a whole GGUF file: header, metadata, tensor infos, aligned tensor data. */
export function writeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.push(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, v] of metadata) {
    sink.str(key);
    sink.u32(v.type);
    if (v.type === GGUF_TYPE.ARRAY) {
      sink.u32(v.elem);
      sink.u64(v.value.length);
      for (const e of v.value) writeScalar(sink, v.elem, e);
    } else writeScalar(sink, v.type, v.value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    sink.str(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offsets.push(offset);
    offset += Math.ceil(t.data.byteLength / ALIGN) * ALIGN;
  }
  sink.pad();
  const dataStart = sink.size;
  tensors.forEach((t, i) => {
    const gap = offsets[i] - (sink.size - dataStart);
    if (gap > 0) sink.push(Buffer.alloc(gap));
    sink.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  });
  sink.pad();
  return sink.concat();
}
