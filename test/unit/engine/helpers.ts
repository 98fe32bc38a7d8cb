// Shared by the engine suites: the engine bundle must exist; raw NDJSON reading with arrival times.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';

/** The suites spawn dist/engine.mjs; build it once if it is missing (test-all builds first anyway). */
export function ensureEngineBundle(): void {
  if (existsSync(resolve('dist', 'engine.mjs')) && existsSync(resolve('dist', 'cli.js'))) return;
  try {
    execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit', timeout: 120_000 });
  } catch (e) {
    throw new Error(`dist/engine.mjs is missing and building it failed: run npm run build (${String(e)})`);
  }
}

export interface Line {
  /** ms after the request was sent. */
  at: number;
  obj: Record<string, unknown>;
}

export interface RawResult {
  status: number;
  contentType: string | null;
  lines: Line[];
  /** Lines that were not JSON. */
  bad: string[];
  text: string;
}

/** POSTs JSON and reads the body line by line, time-stamping each complete line on arrival. */
export async function postLines(url: string, body: unknown): Promise<RawResult> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const lines: Line[] = [];
  const bad: string[] = [];
  let text = '';
  let buf = '';
  const decoder = new TextDecoder();
  const take = (final: boolean): void => {
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0 || (final && buf !== '')) {
      const line = i >= 0 ? buf.slice(0, i) : buf;
      buf = i >= 0 ? buf.slice(i + 1) : '';
      if (line.trim() === '') continue;
      try {
        lines.push({ at: performance.now() - t0, obj: JSON.parse(line) as Record<string, unknown> });
      } catch {
        bad.push(line);
      }
    }
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const s = decoder.decode(chunk, { stream: true });
    text += s;
    buf += s;
    take(false);
  }
  take(true);
  return { status: res.status, contentType: res.headers.get('content-type'), lines, bad, text };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The content lines (done:false) and the final line of a stream. */
export function split(r: RawResult): { content: Line[]; final: Record<string, unknown> | undefined } {
  return { content: r.lines.filter((l) => l.obj.done === false), final: r.lines.find((l) => l.obj.done === true)?.obj };
}

export interface RawExchange { chunks: { at: number; data: Buffer }[]; error: string | null; body: string; head: string }

/** One HTTP/1.1 request over a bare socket: every TCP read time-stamped, resets visible as errors. */
export function rawPost(port: number, path: string, body: unknown): Promise<RawExchange> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const t0 = performance.now();
    const chunks: { at: number; data: Buffer }[] = [];
    let error: string | null = null;
    const s = connect(port, '127.0.0.1', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`);
    });
    s.on('data', (d: Buffer) => chunks.push({ at: performance.now() - t0, data: d }));
    s.on('error', (e: NodeJS.ErrnoException) => { error = e.code ?? e.message; });
    s.on('close', () => {
      const all = Buffer.concat(chunks.map((c) => c.data)).toString('utf8');
      const sep = all.indexOf('\r\n\r\n');
      resolve({ chunks, error, head: all.slice(0, sep), body: dechunk(all.slice(sep + 4)) });
    });
  });
}

/** Undo HTTP chunked transfer encoding. */
function dechunk(s: string): string {
  let out = '';
  let rest = Buffer.from(s, 'utf8');
  for (;;) {
    const nl = rest.indexOf('\r\n');
    if (nl < 0) return out;
    const size = parseInt(rest.subarray(0, nl).toString(), 16);
    if (!(size > 0)) return out;
    out += rest.subarray(nl + 2, nl + 2 + size).toString('utf8');
    rest = rest.subarray(nl + 2 + size + 2);
  }
}
