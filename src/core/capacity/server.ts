// Managed servers (PRODUCT.md §11.4): a capacity variant's or an endpoint's `server` is started by the
// harness with its environment, waited for until it answers, used for the variant's runs (an endpoint's:
// the whole experiment), and stopped. Never left running: the server gets its own process group (stopped
// as a group), and a detached watchdog process stops that group when the harness dies, even by SIGKILL.
// The log goes into the TR directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineBundlePath } from '../../../engine/api';
import { ChimeraError } from '../errors';
import type { Clock } from '../ports';
import type { ServerRecord, ServerSpec } from './types';


const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The port of a URL on this machine (loopback host), else null: a managed server can only listen here. */
export function localPort(url: string): number | null {
  const u = new URL(url);
  if (!LOOPBACK.has(u.hostname)) return null;
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

/** The port a managed server listens on: its own, else the (local) endpoint's; throws E_BAD_INPUT for a remote endpoint. */
export function serverPort(variant: string, spec: ServerSpec, endpointUrl: string): number {
  if (spec.port !== undefined) return spec.port;
  const port = localPort(endpointUrl);
  if (port === null) {
    throw new ChimeraError('E_BAD_INPUT', `variant ${variant}: a managed server without "port" takes the endpoint's port, but the endpoint ${endpointUrl} is not on this machine`, {
      where: `variants[${variant}].server.port`, hint: 'give server.port, or point the load at a 127.0.0.1 / localhost endpoint',
    });
  }
  return port;
}

/** Whose server it is: for messages (`label`), the JSON path of its `server` (`where`) and its log's file name. */
export interface ServerOwner { label: string; where: string; logFile: string }

/** A capacity variant's server; its log is outputs/servers/<variant>.log. */
export function variantOwner(name: string): ServerOwner {
  return { label: `variant ${name}`, where: `variants[${name}].server`, logFile: serverLogFile(name) };
}

/** An endpoint's server (experiment-wide); its log is outputs/servers/endpoint-<name>.log. */
export function endpointOwner(name: string): ServerOwner {
  return { label: `endpoint ${name}`, where: `endpoints.${name}.server`, logFile: serverLogFile(`endpoint-${name}`) };
}


/** argv[0] "chimeraforge-engine" = the embedded engine (dist/engine.mjs); default `ollama serve`. */
export function serverArgv(spec: ServerSpec & { port: number }): string[] {
  const cmd = spec.command ?? ['ollama', 'serve'];
  if (cmd[0] === 'chimeraforge-engine') return [process.execPath, engineBundlePath(), ...cmd.slice(1), '--port', String(spec.port)];
  return cmd;
}

// The watchdog holds the read end of a pipe whose write end only the harness has: when the harness dies
// (even by SIGKILL) the kernel closes it, the watchdog reads EOF and stops the server's process group
// (TERM, then KILL after 3 s). No pid polling, so a reused pid cannot keep it waiting.
const WATCHDOG = `const group = Number(process.argv[1]);
const alive = () => { try { process.kill(group, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const sig = (s) => { try { process.kill(-group, s); } catch {} };
setInterval(() => { if (!alive()) process.exit(0); }, 500);
process.stdin.on('data', () => {});
process.stdin.on('close', () => { sig('SIGTERM'); setTimeout(() => { sig('SIGKILL'); process.exit(0); }, 3000); });`;

/** The log's file name, in the TR's outputs/servers/ folder. */
export function serverLogFile(stem: string): string {
  return `${stem.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`;
}

export class ManagedServer {
  private constructor(readonly record: ServerRecord, private readonly child: ChildProcess, private readonly watchdog: ChildProcess) {}

  /** Starts the server, waits (up to `timeoutMs`) until GET /api/version answers. */
  static async start(owner: ServerOwner, spec: ServerSpec & { port: number }, logDir: string, clock: Clock, signal: AbortSignal, timeoutMs = 60_000): Promise<ManagedServer> {
    const argv = serverArgv(spec);
    const env = { OLLAMA_HOST: `127.0.0.1:${spec.port}`, ...(spec.env ?? {}) };
    const log = join(logDir, owner.logFile);
    const fd = openSync(log, 'a');
    const t0 = clock.now();
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd], detached: true });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<string>((resolve) => {
      child.once('error', (e) => resolve(e.message));
      child.once('exit', (code, sig) => resolve(`exited (${sig ?? `code ${code}`})`));
    });
    const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(child.pid ?? 0)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    // Neither the watchdog nor its pipe keeps the harness's event loop alive; stop() ends both.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    const url = `http://127.0.0.1:${spec.port}`;
    const server = new ManagedServer({ command: argv, env, port: spec.port, url, pid: child.pid ?? -1, log, readyMs: NaN }, child, watchdog);
    let gone: string | null = null;
    void exited.then((why) => (gone = why));
    while (clock.now() - t0 < timeoutMs && !signal.aborted && gone === null) {
      try {
        const r = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) {
          server.record.readyMs = clock.now() - t0;
          return server;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.stop();
    const tail = readFileSync(log, 'utf8').split('\n').slice(-8).join('\n');
    throw new ChimeraError('E_UNREACHABLE', `managed server of ${owner.label} (${argv.join(' ')}) ${gone ?? (signal.aborted ? 'start cancelled' : `did not answer on ${url} within ${timeoutMs / 1000} s`)}`, {
      where: owner.where, details: tail ? [tail] : [], hint: `check the command and port; its log is ${log}`,
    });
  }

  /** Stops the whole process group: SIGTERM, then SIGKILL after 5 s; resolves once the server exited. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      const done = new Promise<void>((r) => this.child.once('exit', () => r()));
      const kill = (sig: NodeJS.Signals): void => {
        try {
          process.kill(-pid, sig);
        } catch {
          // already gone
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    try {
      this.watchdog.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
