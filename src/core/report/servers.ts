// Managed servers in the report (PRODUCT.md §11.4): how a server was started, from the experiment as run
// (the command as written, not the resolved node/engine path), for variants (Capacity) and endpoints (Methodology).
import { endpointOwner } from '../capacity/server';
import { code, fmtNum } from './format';
import { isRecord, type ReportInput } from './model';

/** "`argv` with `K=V …`" of a `server` as written (default argv `ollama serve`). */
export function serverCommandText(s: Record<string, unknown>): string {
  const argv = Array.isArray(s.command) ? s.command.map(String).join(' ') : 'ollama serve';
  const env = isRecord(s.env) ? Object.entries(s.env).map(([k, x]) => `${k}=${String(x)}`).join(' ') : '';
  return `${code(argv)}${env ? ` with ${code(env)}` : ''}`;
}

/** Endpoint name → "managed server: … on port N, …; its log: …" for the endpoints whose server the harness ran. */
export function endpointServerTexts(input: ReportInput): Map<string, string> {
  const out = new Map<string, string>();
  const specs = (input.meta as ReportInput['meta'] | undefined)?.experiment.endpointServers;
  if (!isRecord(specs)) return out;
  for (const [name, s] of Object.entries(specs)) {
    if (!isRecord(s)) continue;
    const rec = input.meta.environment?.endpoints?.find((e) => e.name === name)?.server;
    const started = rec ? ` (pid ${rec.pid}, answering after ${fmtNum(rec.readyMs)} ms)` : '';
    out.set(name, `managed server ${serverCommandText(s)} on port ${String(s.port)}, started by the harness before the preflight${started} and stopped after the last run; its log: ${code(`outputs/servers/${endpointOwner(name).logFile}`)}`);
  }
  return out;
}
