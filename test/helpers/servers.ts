// Managed-server tests: the embedded engine's paced flags, a free port, whether a port answers as Ollama, the processes `ps` lists, polling.
import { spawnSync } from 'node:child_process';
import { closedPortUrl } from './workspace';

/** The embedded engine, paced: 50 ms to the first token, 200 tokens/s, 10 tokens per answer. */
export const PACED_ENGINE = ['chimeraforge-engine', '--mode', 'paced', '--paced-ttft-ms', '50', '--paced-tps', '200', '--paced-tokens', '10'];

export async function freePort(): Promise<number> {
  return Number(new URL(await closedPortUrl()).port);
}

/** Whether something answers GET /api/version on 127.0.0.1:port within 500 ms. */
export async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/version`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

/** Processes (pid, argv) whose command line contains `needle`, from `ps` (never this test's own ps). */
export function processes(needle: string): string[] {
  const out = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

/** Polls `cond` every 100 ms until it holds or `ms` have passed; its last answer. */
export async function until(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}
