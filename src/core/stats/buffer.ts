// A growable Float64Array: summaries of a million runs keep numbers, never run objects.

export class NumberBuffer {
  private data: Float64Array;
  private size = 0;

  constructor(capacity = 16) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.size;
  }

  push(x: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = x;
  }

  /** Pads with `fill` up to `length` (missing values of runs added before this metric first appeared). */
  padTo(length: number, fill = NaN): void {
    while (this.size < length) this.push(fill);
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A view of the filled part (shares memory; do not keep it across pushes). */
  view(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}

/** Values of `values` that are not NaN, with the matching entries of `ids` (run numbers). */
export function presentValues(values: Float64Array, ids: Float64Array): { values: Float64Array; ids: Float64Array } {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  if (count === values.length) return { values, ids };
  const v = new Float64Array(count);
  const r = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      v[j] = values[i];
      r[j++] = ids[i];
    }
  }
  return { values: v, ids: r };
}
