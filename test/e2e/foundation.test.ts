// A person's view: the packaged .vsix installs into code-server, and F1 → "Chimeraforge: Show Log"
// shows the Chimeraforge channel with the activation line of the installed copy in the Output panel.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { makeWorkspace, type TempWorkspace } from '../harness/workspace';

const ROOT = resolve(__dirname, '..', '..');
const VSIX = join(ROOT, 'dist', 'chimeraforge.vsix');
const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('e2e foundation: the .vsix in code-server', () => {
  let ws: TempWorkspace;
  let wb: Workbench;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` (npm run test:e2e does)`);
    ws = makeWorkspace();
    wb = await openWorkbench({ workspace: ws.path, installVsix: [VSIX], artifactsDir: ARTIFACTS });
  });

  after(async () => {
    await wb?.close();
    await ws?.dispose();
  });

  it('installs the run-time files only', () => {
    const dir = join(wb.server.extensionsDir, `chimeraforge.chimeraforge-${VERSION}`);
    assert.ok(existsSync(join(dir, 'package.json')), `not installed in ${dir}`);
    const files = readdirSync(dir, { recursive: true }).map(String).sort();
    for (const needed of ['dist/extension.js', 'dist/webview.js', 'media/icon.png', 'LICENSE.txt']) {
      assert.ok(files.includes(needed), `${needed} missing from the installed extension`);
    }
    const leaked = files.filter((f) => /^(src|test|engine|node_modules|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'dist/engine.mjs' || f === 'dist/cli.js');
    assert.deepEqual(leaked, []);
  });

  it('F1 → "Chimeraforge: Show Log" shows the Chimeraforge channel with the activation line', async () => {
    const row = await wb.findCommand('Chimeraforge: Show Log');
    await wb.screenshot('foundation-palette');
    await row.click();

    const panel = wb.page.locator('.part.panel');
    // the Output view's channel picker shows our channel
    const picker = panel.locator('select.monaco-select-box').locator('visible=true').first();
    await picker.waitFor({ timeout: 30_000 });
    assert.equal(await picker.inputValue(), 'Chimeraforge');
    const editor = panel.locator('[aria-label="Chimeraforge - Output"]').first();
    await editor.waitFor({ timeout: 30_000 });

    // wrapped lines come back as separate rows: join them to read the line a person sees
    const lines = panel.locator('.view-lines').locator('visible=true').first();
    await lines.filter({ hasText: 'activated' }).waitFor({ timeout: 30_000 });
    // monaco renders spaces as no-break spaces
    const text = (await lines.innerText()).replace(/\n/g, '').replace(/\u00a0/g, ' ');
    await wb.screenshot('foundation-show-log');
    assert.match(text, new RegExp(`\\[info\\] Chimeraforge ${VERSION.replace(/\./g, '\\.')} activated \\(VS Code 1\\.\\d+\\.\\d+, extension at `));
    // the copy that ran is the one installed from the .vsix, not this source folder
    assert.ok(text.includes(`${wb.server.extensionsDir}/chimeraforge.chimeraforge-${VERSION})`), `activation line names another copy: ${text}`);
  });
});
