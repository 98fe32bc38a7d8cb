// The Output panel as a person sees it: which channels the picker offers, which is shown, its text.
import type { Locator, Page } from 'playwright-core';

export interface OutputPanel {
  /** Channel names offered by the picker, in order. */
  channels(): Promise<string[]>;
  /** The channel currently selected in the picker. */
  selected(): Promise<string>;
  /** The text of the shown channel as rendered (wrapped rows joined, no-break spaces made plain). */
  text(): Promise<string>;
  /** Waits until the shown channel's text contains `needle`. */
  waitForText(needle: string, timeoutMs?: number): Promise<void>;
}

export function outputPanel(page: Page): OutputPanel {
  const panel = page.locator('.part.panel');
  const picker = (): Locator => panel.locator('select.monaco-select-box').locator('visible=true').first();
  const lines = (): Locator => panel.locator('.view-lines').locator('visible=true').first();
  return {
    channels: async () => {
      await picker().waitFor({ timeout: 30_000 });
      return (await picker().locator('option').allTextContents()).map((s) => s.trim());
    },
    selected: async () => {
      await picker().waitFor({ timeout: 30_000 });
      return picker().inputValue();
    },
    text: async () => (await lines().innerText()).replace(/\n/g, '').replace(/\u00a0/g, ' '),
    waitForText: async (needle, timeoutMs = 30_000) => {
      await lines().filter({ hasText: needle }).waitFor({ timeout: timeoutMs });
    },
  };
}
