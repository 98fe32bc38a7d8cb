// Endpoint URL validation: a mistyped URL fails early, naming the endpoint, instead of as a
// confusing connection error in the middle of a run.
import { ChimeraError } from '../errors';

/**
 * Returns the normalized base URL (no trailing slash) of an endpoint. Accepts http(s) URLs and,
 * like OLLAMA_HOST and ollama-js, a bare `host:port` (taken as http). Anything else is E_BAD_INPUT.
 */
export function validateEndpointUrl(name: string, raw: string): string {
  const text = raw.trim();
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
  const host = port ? `${url.hostname}:${port}` : url.hostname;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}${path}`;
}
