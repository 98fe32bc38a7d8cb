// Managed endpoint servers (PRODUCT.md §11.4, docs/CAPACITY.md "Managed servers"): started before the
// preflight (which then checks them like any endpoint), kept for the whole experiment, stopped at its end
// and in the runner's finally (cancel, exception). They start before the TR directory exists (nothing is
// written before the preflight passes), so their logs begin in a staging folder beside the TRs and are
// moved into the TR's outputs/servers/ once it exists: a rename on the same file system, which the
// server's open log descriptor survives.
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { endpointOwner, ManagedServer } from '../capacity/server';
import type { NormalizedExperiment } from '../experiment/types';
import type { Clock, Logger } from '../ports';
import type { Environment } from '../types';

export class EndpointServers {
  private keepStaging = false;

  private constructor(private readonly staging: string, private readonly servers: Map<string, ManagedServer>) {}

  /** Starts every endpoint's server, one after the other; none started when the experiment has none. */
  static async start(x: NormalizedExperiment, reportsDir: string, clock: Clock, log: Logger, signal?: AbortSignal): Promise<EndpointServers | null> {
    const specs = Object.entries(x.endpointServers ?? {});
    if (specs.length === 0) return null;
    mkdirSync(reportsDir, { recursive: true });
    // A dot folder: not a TR id, so TR listings pass it by.
    const all = new EndpointServers(mkdtempSync(join(reportsDir, '.server-logs-')), new Map());
    for (const [name, spec] of specs) {
      try {
        const server = await ManagedServer.start(endpointOwner(name), spec, all.staging, clock, signal ?? new AbortController().signal);
        all.servers.set(name, server);
        log.info(`endpoint ${name}: managed server ${server.record.command.join(' ')} ready on ${server.record.url} after ${Math.round(server.record.readyMs)} ms (pid ${server.record.pid})`);
      } catch (e) {
        // The error names the log (its hint) and no TR exists to move it into: it stays (not after a cancel).
        all.keepStaging = signal?.aborted !== true;
        await all.stop();
        throw e;
      }
    }
    return all;
  }

  /** Moves the logs into the TR's outputs/servers/ and records each server on its endpoint in `environment` (version from the preflight). */
  adopt(serversDir: string, environment: Environment): void {
    for (const [name, server] of this.servers) {
      const to = join(serversDir, endpointOwner(name).logFile);
      renameSync(server.record.log, to);
      server.record.log = to;
      const e = environment.endpoints.find((ep) => ep.name === name);
      if (!e) continue;
      server.record.version = e.version ?? undefined;
      e.server = server.record;
    }
  }

  /** Stops every server (each as a process group) and removes the staging folder unless a start failure names a log in it. */
  async stop(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
    this.servers.clear();
    if (!this.keepStaging) rmSync(this.staging, { recursive: true, force: true });
  }
}
