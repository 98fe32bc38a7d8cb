// A person's view of the product: code-server's workbench in chromium, driven by keyboard and mouse.
// openWorkbench() starts a throwaway code-server (optionally installing .vsix files first), opens the
// workbench on a workspace and offers the few gestures tests need. Screenshots go to an artifacts dir.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** F1 and type the command's palette label (e.g. "Chimeraforge: Show Log"); resolves to its row, not yet run. */
  findCommand(label: string): Promise<Locator>;
  /** findCommand, then click the row; resolves once the palette has closed. */
  runCommand(label: string): Promise<void>;
  /** Saves a full-window PNG under the artifacts dir and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface WorkbenchOptions extends CodeServerOptions {
  /** Where screenshots go (created on demand). */
  artifactsDir: string;
  viewport?: { width: number; height: number };
}

export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const server = await startCodeServer(opts);
  const launched = await launchBrowser().catch(async (e) => {
    await server.stop();
    throw e;
  });
  const close = async (): Promise<void> => {
    await launched.close();
    await server.stop();
  };
  try {
    const page = await launched.browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // the status bar is drawn once the workbench has restored its parts
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60_000 });
    const shoot = async (name: string): Promise<string> => {
      mkdirSync(opts.artifactsDir, { recursive: true });
      const file = join(opts.artifactsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    };
    return {
      page,
      server,
      close,
      findCommand: (label) => findCommand(page, label, shoot),
      runCommand: async (label) => {
        await (await findCommand(page, label, shoot)).click();
        // The palette closes; a command that opens its own quick input at once (Check Ollama Endpoints)
        // reuses the same widget, so "closed" is: hidden, or no longer holding the palette's ">" query.
        const input = page.locator('.quick-input-widget input');
        const deadline = Date.now() + 10_000;
        while (await input.isVisible() && (await input.inputValue().catch(() => '')).startsWith('>')) {
          if (Date.now() > deadline) throw new Error(`the command palette stayed open after choosing "${label}"`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      screenshot: shoot,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function findCommand(page: Page, label: string, shoot: (name: string) => Promise<string>): Promise<Locator> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  // A palette opened before the extension host has registered contributions lists stale commands and
  // does not refresh, and F1 can arrive before keybindings are ready: close, reopen and retype until found.
  const deadline = Date.now() + 90_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!(await input.isVisible())) {
      await page.keyboard.press('F1');
      const opened = await input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
      if (!opened) continue;
    }
    await input.fill(`>${label}`);
    try {
      await row.waitFor({ timeout: 10_000 });
      return row;
    } catch (e) {
      lastError = e;
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    }
  }
  const file = await shoot('failed-find-command').catch(() => 'no screenshot');
  throw new Error(`"${label}" is not in the command palette (screenshot: ${file}): ${String(lastError)}`);
}
