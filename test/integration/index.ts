// Entry of the extension-host suite: VS Code (code-server via the workbench payload, or desktop via
// @vscode/test-electron) requires this module and calls run(). Every *.test.js bundled beside it runs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha'; // mocha 12: the constructor is the default export (require('mocha') is not callable)

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.CHIMERAFORGE_TEST_CASE_TIMEOUT_MS ?? 60_000),
    grep: process.env.CHIMERAFORGE_TEST_GREP || undefined,
  });
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  for (const f of files) mocha.addFile(join(__dirname, f));

  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats ?? { passes: 0, failures: 1, pending: 0 } as Mocha.Stats));
    } catch (e) {
      reject(e);
    }
  });
  if (stats.pending > 0) console.log(`${stats.pending} pending`);
  // CI's closing-line format.
  console.log(`${stats.passes} passed, ${stats.failures} failed`);
  if (stats.failures > 0) throw new Error(`${stats.failures} extension-host test(s) failed`);
}
