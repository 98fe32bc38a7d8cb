// Debian's chromium driven by playwright-core (playwright's own browser download is not reachable here).
import { chromium, type Browser } from 'playwright-core';
import { onCleanup } from './cleanup';
import { makeTempDir } from './workspace';

export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
]);

export function chromiumPath(): string {
  return process.env.CHROMIUM ?? '/usr/bin/chromium';
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Headless chromium with its HOME in a temp dir (Debian's chromium writes ~/.config/chromium otherwise). */
export async function launchBrowser(opts: { headless?: boolean } = {}): Promise<LaunchedBrowser> {
  const home = makeTempDir('chimeraforge-chromium-');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: opts.headless ?? process.env.CHIMERAFORGE_HEADFUL !== '1',
    args: [...CHROMIUM_ARGS],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    // our cleanup registry owns signals, so that the server is killed too
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // playwright kills the chromium it launched at process exit by itself; this closes it earlier, cleanly.
  const close = onCleanup('chromium', {
    async: async () => {
      await browser.close().catch(() => undefined);
    },
  });
  return { browser, close };
}
