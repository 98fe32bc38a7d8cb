// Temporary workspaces for runner and CLI tests: a folder with small benchmark files (CSV/JSON/MD)
// like those the report-agent ingests, and a reports directory.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestWorkspace { dir: string; reportsDir: string }

export function makeWorkspace(withData = true): TestWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'cf-ws-'));
  if (withData) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'bench.csv'), 'model,tokens_s,ttft_s\ngemma3:latest,102.3,0.128\nllama3.1:8b-q4_0,76.6,0.097\n');
    writeFileSync(join(dir, 'data', 'summary.json'), JSON.stringify({ runs: 5, mean_tokens_s: 101.2 }));
    writeFileSync(join(dir, 'data', 'notes.md'), '# Notes\nThroughput is stable across runs.\n');
  }
  return { dir, reportsDir: join(dir, 'reports') };
}

/** A loopback URL on a port nothing listens on (a just-closed free port; not one fetch refuses). */
export async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
