// Endpoints as written: a URL, or { url, server } for an endpoint whose server the harness runs for the
// whole experiment (PRODUCT.md §11.4, docs/CAPACITY.md "Managed servers"). Everything that reads the
// file's endpoints as URLs goes through endpointUrls; the servers are resolved (ports, clashes) here,
// before anything runs, so a server that could not work is bad input naming its JSON path.
import { ChimeraError } from '../errors';
import { localPort } from '../capacity/server';
import type { ServerSpec } from '../capacity/types';
import { validateEndpointUrl } from '../ollama/url';
import type { EndpointEntry, ExperimentFile } from './types';

export type ResolvedServer = ServerSpec & { port: number };

export function endpointUrl(e: EndpointEntry): string {
  return typeof e === 'string' ? e : e.url;
}

/** Name → URL of the endpoints as written (managed servers left out). */
export function endpointUrls(entries: Readonly<Record<string, EndpointEntry>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(entries ?? {}).map(([n, e]) => [n, endpointUrl(e)]));
}

function badInput(where: string, message: string, hint: string): ChimeraError {
  return new ChimeraError('E_BAD_INPUT', message, { where, hint });
}

/** The server an endpoint carries, its port resolved against the URL it is reached at (after overrides). */
function resolveOne(name: string, spec: ServerSpec, url: string): ResolvedServer {
  const urlPort = localPort(validateEndpointUrl(name, url));
  // The harness runs the server on this machine: an endpoint that points elsewhere cannot be it.
  if (urlPort === null) {
    throw badInput(`endpoints.${name}.url`, `endpoint ${name} carries a managed server, but its URL ${url} is not on this machine`,
      'point it at 127.0.0.1 / localhost (the port the server listens on), or remove "server" to use a server you run yourself');
  }
  // The endpoint's requests go to its URL: a server on another port would never see them.
  if (spec.port !== undefined && spec.port !== urlPort) {
    throw badInput(`endpoints.${name}.server.port`, `endpoint ${name}: server.port ${spec.port} differs from the port of its URL ${url} (${urlPort})`,
      'leave server.port out (it defaults to the URL\'s port) or make the two equal');
  }
  return { ...spec, port: urlPort };
}

/**
 * Managed endpoint servers with their ports; `urls` = the endpoints' URLs as run (file, then overrides).
 * Throws E_BAD_INPUT when an endpoint server's URL is not local, or two managed servers (endpoints or
 * capacity variants) would listen on one port.
 */
export function endpointServers(x: ExperimentFile, urls: Readonly<Record<string, string>>): Record<string, ResolvedServer> | undefined {
  const out: Record<string, ResolvedServer> = {};
  const owners = new Map<number, string>();
  for (const [name, e] of Object.entries(x.endpoints ?? {})) {
    if (typeof e === 'string' || !e.server) continue;
    const s = resolveOne(name, e.server, urls[name]);
    const other = owners.get(s.port);
    if (other) throw badInput(`endpoints.${name}.server`, `endpoints ${other} and ${name} both run a managed server on port ${s.port}`, 'give each managed endpoint its own port');
    owners.set(s.port, name);
    out[name] = s;
  }
  if (owners.size === 0) return undefined;
  // A capacity variant's server without a port takes the port of the load's first endpoint (capacity/server.ts).
  const loadUrl = urls[x.load?.endpoints?.[0] ?? x.endpoint ?? 'default'];
  x.variants?.forEach((v, i) => {
    if (!v.server) return;
    const port = v.server.port ?? (loadUrl ? localPort(validateEndpointUrl('load', loadUrl)) : null);
    const other = port === null ? undefined : owners.get(port);
    if (other) {
      throw badInput(`variants[${i}].server.port`, `variant ${v.name}'s managed server and the managed server of endpoint ${other} would both listen on port ${port}`,
        'give the variant\'s server its own "port", or remove one of the two servers');
    }
  });
  return out;
}
