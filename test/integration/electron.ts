// Optional launcher: the same extension-host suite under VS Code desktop via @vscode/test-electron.
// Needs internet (it downloads VS Code) and a display (or xvfb-run), so it is not part of `npm test`
// here. Usage: npm run test:electron   (= npm run build && node dist/test/integration/electron.js)
// Env: CHIMERAFORGE_VSCODE_VERSION (default 1.100.3, the engines.vscode floor), CHIMERAFORGE_TEST_GREP,
//      CHIMERAFORGE_TEST_WORKSPACE (a fixture folder copied into the throwaway workspace).
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder above this bundle that holds package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

async function main(): Promise<number> {
  const tmp = mkdtempSync(join(tmpdir(), 'chimeraforge-electron-'));
  const workspace = join(tmp, 'workspace');
  if (process.env.CHIMERAFORGE_TEST_WORKSPACE) cpSync(process.env.CHIMERAFORGE_TEST_WORKSPACE, workspace, { recursive: true });
  else mkdirSync(workspace);
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }));
  try {
    return await runTests({
      version: process.env.CHIMERAFORGE_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot(),
      extensionTestsPath: join(__dirname, 'index.js'),
      extensionTestsEnv: {
        CHIMERAFORGE_TEST_WORKSPACE_PATH: workspace,
        ...(process.env.CHIMERAFORGE_TEST_GREP ? { CHIMERAFORGE_TEST_GREP: process.env.CHIMERAFORGE_TEST_GREP } : {}),
      },
      // Workspace Trust on and the folder untrusted, as under runIntegration (runs.test.ts asserts it);
      // no startup prompt, so nothing waits on a dialog.
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', userData],
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('VS Code desktop tests could not run:', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
