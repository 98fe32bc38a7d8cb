// Starts code-server (VS Code 1.100.3 in the browser, installed by scripts/install-code-server.sh)
// as a throwaway server: own process group, free 127.0.0.1 port, no auth, no gallery, temp state.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup';
import { makeTempDir } from './workspace';

export const CODE_SERVER_VERSION = '4.100.3';

/** Settings that keep the workbench quiet and offline: no update checks, telemetry or welcome page. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = Object.freeze({
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
});

export function codeServerDir(): string {
  return process.env.CHIMERAFORGE_CODE_SERVER_DIR ?? join(homedir(), '.cache', 'chimeraforge', `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry(): string {
  const entry = join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) {
    throw new Error(`code-server is not installed at ${codeServerDir()}: run scripts/install-code-server.sh (or set CHIMERAFORGE_CODE_SERVER_DIR)`);
  }
  return entry;
}

export interface CodeServerOptions {
  /** Folder opened by default; also used for `?folder=` by workbenchUrl(). */
  workspace: string;
  /** Extensions dir (default: a temp dir). */
  extensionsDir?: string;
  /** Extra user settings, merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** .vsix files to install into extensionsDir before the server starts. */
  installVsix?: readonly string[];
  /** Where the server's stdout/stderr go (default: <state dir>/code-server.log). */
  logFile?: string;
  /** Extra environment for the server; the extension host inherits it. */
  env?: Record<string, string>;
  /** Keep Workspace Trust on (to test untrusted workspaces); by default it is disabled, all folders trusted. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  readonly baseUrl: string;
  /** host:port, the authority of vscode-remote:// URIs this server maps to its file system. */
  readonly authority: string;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  readonly pid: number;
  /** Workbench URL for `folder` (default: the workspace) with an optional payload of [key, value] pairs. */
  workbenchUrl(opts?: { folder?: string; payload?: ReadonlyArray<readonly [string, string]> }): string;
  /** A vscode-remote:// URI of a path on this machine, as the workbench payload expects. */
  remoteUri(path: string): string;
  /** Kills the whole process group (server, extension host, watchers) and waits until it is gone. */
  stop(): Promise<void>;
}

/** Starts a throwaway code-server; retried on a new port if the chosen one is taken meanwhile. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  const state = makeTempDir('chimeraforge-cs-');
  const userDataDir = join(state, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(state, 'extensions');
  const xdg = join(state, 'xdg');
  for (const d of [join(userDataDir, 'User'), extensionsDir, xdg]) mkdirSync(d, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const env = { ...process.env, ...opts.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: join(state, 'xdg-data') };
  const dirArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const vsix of opts.installVsix ?? []) {
    const r = spawnSync(process.execPath, [entry, ...dirArgs, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) {
      throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  const logFile = opts.logFile ?? join(state, 'code-server.log');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const args = [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', ...dirArgs, opts.workspace];
    const log = createWriteStream(logFile, { flags: 'a' });
    // detached = setsid: the server and everything it forks share one process group we can kill.
    const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const pid = child.pid;
    if (pid === undefined) throw new Error('code-server did not start (no pid)');
    const stop = onCleanup(`code-server pid ${pid}`, { sync: () => killGroupNow(pid), async: () => killGroup(pid, child) });
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitHealthy(baseUrl, child, 30_000);
    } catch (e) {
      lastError = e;
      await stop();
      continue;
    }
    const authority = `127.0.0.1:${port}`;
    const remoteUri = (p: string): string => `vscode-remote://${authority}${encodeURI(p)}`;
    return {
      baseUrl, authority, workspace: opts.workspace, userDataDir, extensionsDir, logFile, pid, remoteUri, stop,
      workbenchUrl: ({ folder = opts.workspace, payload } = {}) => {
        let url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
        if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        return url;
      },
    };
  }
  throw new Error(`code-server did not become healthy after 3 attempts (log: ${logFile}): ${String(lastError)}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`);
    try {
      const r = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server at ${baseUrl} not healthy within ${timeoutMs} ms`);
}

/** Live (non-zombie) processes of a process group, from /proc; zombies wait for a reaper, not for us. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // fields after the parenthesised command: state ppid pgrp ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** SIGTERM to the group, then SIGKILL after 5 s; returns once no process of the group is left. */
async function killGroup(pgid: number, leader: ChildProcess): Promise<void> {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) killGroupNow(pgid);
  const hard = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  const left = groupMembers(pgid);
  if (left.length > 0) process.stderr.write(`code-server group ${pgid}: processes ${left.join(', ')} survived SIGKILL\n`);
  if (leader.exitCode === null && leader.signalCode === null) await new Promise((r) => leader.once('exit', r));
}
