// Turns a classified endpoint failure into a ChimeraError that names the endpoint and model and
// says what to do, for checks made before a run (their failure is exit code 3 in the CLI).
import { ChimeraError } from '../errors';
import type { Classified } from './classify';
import type { GatewayClient } from './client';

function hostPort(url: string): { hostPort: string; port: string } {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return { hostPort: `${u.hostname}:${port}`, port };
}

/** `ollama pull MODEL`, prefixed with OLLAMA_HOST when the endpoint is not the default one. */
export function pullCommand(url: string, model: string): string {
  const { hostPort: hp } = hostPort(url);
  return hp === '127.0.0.1:11434' || hp === 'localhost:11434' ? `ollama pull ${model}` : `OLLAMA_HOST=${hp} ollama pull ${model}`;
}

export function hintFor(c: Classified, client: GatewayClient, model: string | undefined, timeoutMs: number): string | undefined {
  const { hostPort: hp, port } = hostPort(client.url);
  switch (c.code) {
    case 'E_UNREACHABLE':
      return `start the server: \`ollama serve\` (OLLAMA_HOST=${hp} for this address) or the embedded engine: \`chimeraforge engine --port ${port}\`; check the URL of endpoint '${client.name}'`;
    case 'E_MODEL_NOT_FOUND':
      return model ? `pull it: \`${pullCommand(client.url, model)}\`, or choose a model that \`ollama list\` shows` : undefined;
    case 'E_BUSY':
      return 'the server\'s queue is full: retry later, run fewer requests at once, or raise OLLAMA_MAX_QUEUE';
    case 'E_SERVER':
      return 'see the server\'s log (the terminal running `ollama serve`, or `journalctl -u ollama`)';
    case 'E_TIMEOUT':
      return `nothing arrived for ${timeoutMs} ms: check that the server is not overloaded, or raise the timeout`;
    case 'E_MALFORMED':
    case 'E_MIDSTREAM':
    case 'E_NO_DONE':
    case 'E_RESET':
      return `check that ${client.url} is an Ollama server and see its log`;
    default:
      return undefined;
  }
}

/** The error for a failed endpoint check; `op` says what was asked ("version", "show", …). */
export function endpointError(c: Classified, client: GatewayClient, op: string, model: string | undefined, timeoutMs: number, cause?: unknown): ChimeraError {
  // A 404 on a route without a model means the URL is not an Ollama API.
  const code = c.code === 'E_MODEL_NOT_FOUND' && !model ? 'E_SERVER' : c.code;
  const fixed: Classified = { ...c, code };
  const subject = model ? `model '${model}' on endpoint '${client.name}' (${client.url})` : `endpoint '${client.name}' (${client.url})`;
  const lead = code === 'E_MODEL_NOT_FOUND' ? `${subject} is not available` : code === 'E_UNREACHABLE' ? `endpoint '${client.name}' (${client.url}) is not reachable` : `${op} failed for ${subject}`;
  return new ChimeraError(code, `${lead}: ${c.detail}`, {
    where: model ? `${client.url} model ${model}` : client.url,
    hint: hintFor(fixed, client, model, timeoutMs),
    status: c.status,
    cause,
  });
}
