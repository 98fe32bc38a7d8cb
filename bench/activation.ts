// activation_ms: activate() of the real extension in code-server's extension host, timed inside activate()
// with performance.now() (src/vscode/extension.ts logs "activate() took N ms"); read from the log channel's
// file. The workspace holds an *.experiment.json (an activation event); each repetition reloads the window,
// which starts a fresh extension host. Module loading happens before activate() and is not in the number.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/codeServer';
import { makeWorkspace } from '../test/harness/workspace';
import { spreadOf, type Spread } from './lib/stats';

export interface ActivationResult { activation_ms: Spread; source: string }

const LINE = /activate\(\) took (\d+(?:\.\d+)?) ms/g;

function logFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...logFiles(p));
    else if (e.name.endsWith('.log') && statSync(p).size < 5e6) out.push(p);
  }
  return out;
}

/** Every activation time logged so far under the server's user-data dir. */
export function activationTimes(userDataDir: string): number[] {
  return logFiles(userDataDir).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(LINE)].map((m) => Number(m[1])));
}

export async function measureActivation(o: { reps: number }, log: (s: string) => void): Promise<ActivationResult> {
  const ws = makeWorkspace({ prefix: 'cf-bench-ws-' });
  writeFileSync(join(ws.path, 'bench.experiment.json'), JSON.stringify({ title: 'bench', kind: 'prompt', prompts: ['hi'] }));
  const server = await startCodeServer({ workspace: ws.path });
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    const url = server.workbenchUrl({ payload: [['extensionDevelopmentPath', server.remoteUri(resolve('.'))]] });
    const times: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      const before = activationTimes(server.userDataDir).length;
      await page.goto(url);
      const deadline = Date.now() + 120_000;
      let now = activationTimes(server.userDataDir);
      while (now.length <= before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        now = activationTimes(server.userDataDir);
      }
      if (now.length <= before) throw new Error(`activation: no "activate() took" line within 120 s (code-server log: ${server.logFile})`);
      times.push(now[now.length - 1]);
      log(`activation rep ${rep + 1}: ${now[now.length - 1]} ms`);
    }
    return { activation_ms: spreadOf(times), source: 'performance.now() inside activate(), logged by the extension in code-server\'s extension host' };
  } finally {
    await close();
    await server.stop();
    await ws.dispose();
  }
}
