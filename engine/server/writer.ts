// Writes response bytes; in `split` mode every write is cut into several TCP writes with small delays
// (cuts may fall inside a UTF-8 character), which clients must reassemble.
import type { ServerResponse } from 'node:http';
import { sleep } from './backend';

const SPLIT_PIECES = 3;
const SPLIT_GAP_MS = 3;

export class BodyWriter {
  constructor(private readonly res: ServerResponse, private readonly split: boolean) {
    // Small writes must leave as separate segments for `split` to mean anything.
    res.socket?.setNoDelay(true);
  }

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    if (!this.split || buf.length < SPLIT_PIECES) return this.writeBuf(buf);
    const step = Math.ceil(buf.length / SPLIT_PIECES);
    for (let off = 0; off < buf.length; off += step) {
      if (off > 0) await sleep(SPLIT_GAP_MS);
      if (!this.open) return;
      await this.writeBuf(buf.subarray(off, off + step));
    }
  }

  async line(obj: unknown): Promise<void> {
    await this.write(`${JSON.stringify(obj)}\n`);
  }

  async end(text?: string): Promise<void> {
    if (text !== undefined) await this.write(text);
    if (this.open) this.res.end();
  }

  private writeBuf(buf: Buffer): Promise<void> {
    if (!this.open) return Promise.resolve();
    if (this.res.write(buf)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => { this.res.off('drain', done); this.res.off('close', done); resolve(); };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }
}

export function sendJson(res: ServerResponse, status: number, obj: unknown): void {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  sendJson(res, status, { error: message });
}
