// The suite runs where the harness says it does: in the throwaway workspace, with its fixture copied in.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';

describe('harness: the extension host the suite runs in', () => {
  it('has exactly the throwaway workspace folder open', function () {
    const expected = process.env.CHIMERAFORGE_TEST_WORKSPACE_PATH;
    if (!expected) this.skip(); // launched by something other than our drivers
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    assert.deepEqual(folders, [expected]);
  });

  it('sees the workspace files through the VS Code file system', async function () {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!root) this.skip();
    const onDisk = readdirSync(root.fsPath).sort();
    const viaVscode = (await vscode.workspace.fs.readDirectory(root)).map(([name]) => name).sort();
    assert.deepEqual(viaVscode, onDisk);
  });

  it('runs the extension under development from this repository', () => {
    const ext = vscode.extensions.getExtension('chimeraforge.chimeraforge');
    assert.ok(ext);
    // this file runs from <repo>/dist/test/integration: the loaded extension must be <repo>, not an installed copy
    assert.equal(ext.extensionPath, resolve(__dirname, '..', '..', '..'));
  });
});
