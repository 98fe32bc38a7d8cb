// Runs the extension-host suite (dist/test/integration/index.js) inside code-server's real extension
// host: the workbench URL `payload` loads the extension from this folder and the tests module; the
// exit code comes back through window.codeAutomationExit. Usage (after `npm run build`):
//   tsx test/harness/runIntegration.ts [--workspace FIXTURE_DIR] [--timeout MS] [--grep PATTERN]
// Env equivalents: CHIMERAFORGE_TEST_WORKSPACE, CHIMERAFORGE_TEST_TIMEOUT_MS, CHIMERAFORGE_TEST_GREP.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from './browser';
import { interruptedBy } from './cleanup';
import { startCodeServer } from './codeServer';
import { makeWorkspace } from './workspace';

const ROOT = resolve(__dirname, '..', '..');
// Workbench chatter relayed with the suite's output; shown with CHIMERAFORGE_TEST_VERBOSE=1.
const NOISE = /^(Ignoring fetching additional builtin extensions|Creating a socket|Resolving connection token|Resolved connection token|\[Service Worker\]|ChatSessionStore:|Updating additional builtin extensions cache|Creation of workbench contribution)/;
const verbose = process.env.CHIMERAFORGE_TEST_VERBOSE === '1';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string', default: process.env.CHIMERAFORGE_TEST_WORKSPACE },
      timeout: { type: 'string', default: process.env.CHIMERAFORGE_TEST_TIMEOUT_MS ?? '600000' }, // the suite took ~95 s, ~275 s with the 75-s soak on a loaded machine
      grep: { type: 'string', default: process.env.CHIMERAFORGE_TEST_GREP },
      tests: { type: 'string', default: join(ROOT, 'dist', 'test', 'integration', 'index.js') },
      artifacts: { type: 'string', default: join(ROOT, 'test', 'integration', 'artifacts') },
    },
  });
  const testsMain = resolve(values.tests);
  if (!existsSync(testsMain)) throw new Error(`${testsMain} is missing: run \`npm run build\` first`);
  const timeoutMs = Number(values.timeout);
  const t0 = Date.now();

  const ws = makeWorkspace({ fixture: values.workspace });
  const env: Record<string, string> = { CHIMERAFORGE_TEST_WORKSPACE_PATH: ws.path };
  if (values.grep) env.CHIMERAFORGE_TEST_GREP = values.grep;
  // Workspace Trust stays on, so the folder opens untrusted (restricted mode): the suite proves results,
  // dashboards and non-command runs work there and command experiments are refused (that test asserts
  // the folder is untrusted: there is no switch to run the suite trusted).
  const server = await startCodeServer({ workspace: ws.path, env, workspaceTrust: true });
  const { browser, close } = await launchBrowser();
  let code: number | 'timeout' | 'crash';
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((res) => void page.exposeFunction('codeAutomationExit', (c: number) => res(c)));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const parts = Array.isArray(args) ? args : [args];
      if (verbose || !NOISE.test(String(parts[0]))) console.log(...parts);
    });
    const crashed = new Promise<'crash'>((res) => page.on('crash', () => res('crash')));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((res) => { timer = setTimeout(() => res('timeout'), timeoutMs); });
    await page.goto(server.workbenchUrl({
      payload: [
        ['extensionDevelopmentPath', server.remoteUri(ROOT)],
        ['extensionTestsPath', server.remoteUri(testsMain)],
      ],
    }));
    code = await Promise.race([exited, crashed, timedOut]);
    clearTimeout(timer);
  } finally {
    await close();
    await server.stop();
    mkdirSync(values.artifacts, { recursive: true });
    copyFileSync(server.logFile, join(values.artifacts, 'code-server.log'));
    await ws.dispose();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (code === 'timeout') console.error(`extension host suite: no result within ${timeoutMs} ms (raise --timeout); server log in ${values.artifacts}`);
  else if (code === 'crash') console.error('extension host suite: the workbench page crashed');
  console.error(`extension host suite finished: exit=${code} in ${secs} s`);
  return code === 0 ? 0 : 1;
}

main().then(
  (c) => process.exit(interruptedBy() ? 130 : c),
  (e) => {
    if (interruptedBy()) process.exit(130);
    console.error('extension host suite could not run:', e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
