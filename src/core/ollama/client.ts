// One gateway client per endpoint per run: the official ollama-js client over an observing fetch.
// ollama-js' abort() aborts every stream of a client, so clients are never shared between runs.
import { Ollama } from 'ollama';
import { type Clock, systemClock } from '../ports';
import { observingFetch } from './wire';
import { validateEndpointUrl } from './url';

export interface GatewayClient {
  /** Endpoint name from the experiment (e.g. "default", "b"). */
  readonly name: string;
  /** Normalized base URL. */
  readonly url: string;
  readonly ollama: Ollama;
  /** The observing fetch the client uses (also for health checks ollama-js has no method for). */
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /** Aborted by `abort()`; every request of this client listens to it, streamed or not. */
  readonly signal: AbortSignal;
  /** Aborts every request of this client (ollama-js only aborts streams; this covers the rest). */
  abort(): void;
}

export interface GatewayClientOptions {
  url: string;
  name?: string;
  /** Injected fetch (recording proxies, tests); defaults to the global fetch. */
  fetch?: typeof fetch;
  clock?: Clock;
}

export function createGatewayClient(opts: GatewayClientOptions): GatewayClient {
  const name = opts.name ?? 'default';
  const url = validateEndpointUrl(name, opts.url);
  const f = observingFetch(opts.fetch ?? globalThis.fetch);
  const controller = new AbortController();
  const ollama = new Ollama({ host: url, fetch: f });
  return {
    name,
    url,
    ollama,
    fetch: f,
    clock: opts.clock ?? systemClock,
    signal: controller.signal,
    abort() {
      controller.abort();
      ollama.abort();
    },
  };
}
