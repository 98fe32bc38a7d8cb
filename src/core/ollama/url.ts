// Endpoint URL validation: a mistyped URL fails early, naming the endpoint, instead of as a
// confusing connection error in the middle of a run.
import { ChimeraError } from '../errors';

/** Ports fetch refuses to connect to (WHATWG Fetch "bad port" list): fail early with a clear message. */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113,
  115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556,
  563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6697, 10080,
]);

/**
 * Returns the normalized base URL (no trailing slash) of an endpoint. Accepts http(s) URLs and,
 * like OLLAMA_HOST and ollama-js, a bare `host[:port]` (http, port 11434 by default) or `:port`.
 * Anything else is E_BAD_INPUT.
 */
export function validateEndpointUrl(name: string, raw: string): string {
  // ":11435" means the local host, as in OLLAMA_HOST and ollama-js.
  const text = raw.trim().startsWith(':') ? `127.0.0.1${raw.trim()}` : raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ChimeraError('E_BAD_INPUT', `endpoint '${name}': "${raw}" is not a URL`, {
      where: `endpoint ${name}`,
      hint: 'write it as http://HOST:PORT, e.g. http://127.0.0.1:11434',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChimeraError('E_BAD_INPUT', `endpoint '${name}': "${raw}" uses ${url.protocol.replace(/:$/, '')}; only http and https are supported`, {
      where: `endpoint ${name}`,
      hint: 'write it as http://HOST:PORT, e.g. http://127.0.0.1:11434',
    });
  }
  if (!url.hostname) {
    throw new ChimeraError('E_BAD_INPUT', `endpoint '${name}': "${raw}" has no host`, { where: `endpoint ${name}`, hint: 'write it as http://HOST:PORT' });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ChimeraError('E_BAD_INPUT', `endpoint '${name}': "${raw}" must not contain credentials, a query or a fragment`, {
      where: `endpoint ${name}`,
      hint: 'write it as http://HOST:PORT[/path]',
    });
  }
  // ollama-js, like Ollama, defaults a scheme-less host to port 11434.
  const schemeLess = withScheme !== text;
  const port = url.port || (schemeLess ? (/:\d+(\/|$)/.test(text) ? '80' : '11434') : '');
  if (port && FETCH_BAD_PORTS.has(Number(port))) {
    throw new ChimeraError('E_BAD_INPUT', `endpoint '${name}': port ${port} is one that fetch refuses to connect to`, {
      where: `endpoint ${name}`,
      hint: 'run the server on another port (Ollama\'s default is 11434)',
    });
  }
  const host = port ? `${url.hostname}:${port}` : url.hostname;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}${path}`;
}
