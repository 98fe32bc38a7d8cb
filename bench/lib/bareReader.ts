// The bare minimum a client needs to stream one generate call: fetch, split NDJSON, JSON.parse — nothing
// else (no guard, no classification, no records, no events). Our gateway + runner is measured against it.

export interface BareResult {
  /** ms after send: first and last non-empty content line, end of the body. */
  firstTokenMs: number | null;
  lastTokenMs: number | null;
  endMs: number;
  /** Lines with non-empty content. */
  tokens: number;
  evalCount: number;
  evalDurationNs: number;
}

interface Line { response?: string; done?: boolean; eval_count?: number; eval_duration?: number }

export async function bareGenerate(url: string, body: Record<string, unknown>): Promise<BareResult> {
  const sendAt = performance.now();
  const res = await fetch(`${url}/api/generate`, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
  if (!res.ok || !res.body) throw new Error(`bare reader: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let first: number | null = null;
  let last: number | null = null;
  let tokens = 0;
  let evalCount = 0;
  let evalDurationNs = 0;
  const onLine = (line: string): void => {
    if (line.length === 0) return;
    const m = JSON.parse(line) as Line;
    if (m.response) {
      tokens++;
      last = performance.now() - sendAt;
      if (first === null) first = last;
    }
    if (m.done) {
      evalCount = m.eval_count ?? 0;
      evalDurationNs = m.eval_duration ?? 0;
    }
  };
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    buf += decoder.decode(r.value, { stream: true });
    let nl = buf.indexOf('\n');
    let start = 0;
    while (nl !== -1) {
      onLine(buf.slice(start, nl));
      start = nl + 1;
      nl = buf.indexOf('\n', start);
    }
    buf = buf.slice(start);
  }
  onLine(buf);
  return { firstTokenMs: first, lastTokenMs: last, endMs: performance.now() - sendAt, tokens, evalCount, evalDurationNs };
}
