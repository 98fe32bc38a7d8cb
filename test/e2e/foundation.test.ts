// A person's view: the packaged .vsix installs into code-server, stays asleep in an unrelated folder,
// wakes up in a folder with an experiment file, and F1 → "Chimeraforge: Show Log" shows its channel
// with the activation line of the installed copy in the Output panel.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator } from 'playwright-core';
import { outputPanel } from '../harness/outputPanel';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { makeTempDir, makeWorkspace, type TempWorkspace } from '../harness/workspace';

const ROOT = resolve(__dirname, '..', '..');
const VSIX = join(ROOT, 'dist', 'chimeraforge.vsix');
const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ACTIVATED = new RegExp(`\\[info\\] Chimeraforge ${VERSION.replace(/\./g, '\\.')} activated \\(VS Code 1\\.\\d+\\.\\d+, extension at `);

/** The picker's <option> for a channel (options of a closed select are attached, never visible). */
function channelOption(wb: Workbench, name: string): Locator {
  return wb.page.locator('.part.panel select.monaco-select-box option').filter({ hasText: new RegExp(`^${name}$`) }).first();
}

// Taken once, right after `npm run package`: a later rebuild of dist/ must not pull it away mid-run.
let vsixCopy: string | undefined;
function vsix(): string {
  if (!vsixCopy) {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` (npm run test:e2e does)`);
    vsixCopy = join(makeTempDir('chimeraforge-vsix-'), 'chimeraforge.vsix');
    copyFileSync(VSIX, vsixCopy);
  }
  return vsixCopy;
}
vsix();

function workbenchWith(fixture?: string): { ws: () => TempWorkspace; wb: () => Workbench } {
  let ws: TempWorkspace | undefined;
  let wb: Workbench | undefined;
  before(async () => {
    ws = makeWorkspace({ fixture });
    wb = await openWorkbench({ workspace: ws.path, installVsix: [vsix()], artifactsDir: ARTIFACTS });
  });
  after(async () => {
    await wb?.close();
    await ws?.dispose();
  });
  return { ws: () => ws!, wb: () => wb! };
}

describe('e2e foundation: the .vsix in code-server, empty folder', () => {
  const { wb } = workbenchWith();

  it('installs the run-time files only', () => {
    const dir = join(wb().server.extensionsDir, `chimeraforge.chimeraforge-${VERSION}`);
    assert.ok(existsSync(join(dir, 'package.json')), `not installed in ${dir}`);
    const files = readdirSync(dir, { recursive: true }).map(String).sort();
    for (const needed of ['dist/extension.js', 'dist/webview.js', 'media/icon.png', 'LICENSE.txt']) {
      assert.ok(files.includes(needed), `${needed} missing from the installed extension`);
    }
    const leaked = files.filter((f) => /^(src|test|engine|node_modules|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'dist/engine.mjs' || f === 'dist/cli.js');
    assert.deepEqual(leaked, []);
  });

  it('stays asleep in a folder without experiments: no Chimeraforge channel once other extensions are up', async () => {
    await wb().runCommand('Output: Focus on Output View');
    const out = outputPanel(wb().page);
    // git activates at startup: once its channel is listed, startup activation is over
    await channelOption(wb(), 'Git').waitFor({ state: 'attached', timeout: 60_000 });
    assert.ok(!(await out.channels()).includes('Chimeraforge'), 'Chimeraforge activated without a reason');
  });

  it('F1 → "Chimeraforge: Show Log" shows the Chimeraforge channel with the activation line', async () => {
    const row = await wb().findCommand('Chimeraforge: Show Log');
    await wb().screenshot('foundation-palette');
    await row.click();

    const out = outputPanel(wb().page);
    await out.waitForText('activated');
    assert.equal(await out.selected(), 'Chimeraforge');
    await wb().page.locator('.part.panel [aria-label="Chimeraforge - Output"]').first().waitFor({ timeout: 30_000 });
    const text = await out.text();
    await wb().screenshot('foundation-show-log');
    assert.match(text, ACTIVATED);
    // the copy that ran is the one installed from the .vsix, not this source folder
    assert.ok(text.includes(`${wb().server.extensionsDir}/chimeraforge.chimeraforge-${VERSION})`), `activation line names another copy: ${text}`);
  });
});

describe('e2e foundation: a folder with an experiment file', () => {
  const { wb } = workbenchWith(join(__dirname, 'fixtures', 'experiments'));

  it('activates Chimeraforge by itself (workspaceContains), its channel listed with the activation line', async () => {
    await wb().runCommand('Output: Focus on Output View');
    const out = outputPanel(wb().page);
    await channelOption(wb(), 'Chimeraforge').waitFor({ state: 'attached', timeout: 60_000 });
    await wb().page.locator('.part.panel select.monaco-select-box').locator('visible=true').first().selectOption('Chimeraforge');
    await out.waitForText('activated');
    await wb().screenshot('foundation-activated-by-experiment');
    assert.match(await out.text(), ACTIVATED);
  });
});
