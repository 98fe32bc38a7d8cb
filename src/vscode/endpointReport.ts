// Check Ollama Endpoints: what each configured endpoint says (version, installed models, loaded models
// and their memory, partial GPU offload), gathered through the core gateway and written as readable
// lines. No vscode import.
import { createGatewayClient } from '../core/ollama/client';
import { getVersion, listInstalled, listLoaded, type LoadedModel } from '../core/ollama/endpoint';
import { ChimeraError, errorMessage } from '../core/errors';

export interface InstalledModel { name: string; size: number; parameter_size: string | null; quantization_level: string | null }

export interface EndpointStatus {
  name: string;
  url: string;
  ok: boolean;
  version: string | null;
  models: InstalledModel[];
  loaded: LoadedModel[];
  /** What went wrong, with what to do, when ok is false. */
  error?: string;
}

export async function checkEndpoint(name: string, url: string, timeoutMs = 5000): Promise<EndpointStatus> {
  const out: EndpointStatus = { name, url, ok: false, version: null, models: [], loaded: [] };
  try {
    const client = createGatewayClient({ url, name });
    out.version = await getVersion(client, { timeoutMs });
    out.models = (await listInstalled(client, { timeoutMs })).map((m) => ({ name: m.name, size: m.size, parameter_size: m.details?.parameter_size || null, quantization_level: m.details?.quantization_level || null }));
    out.loaded = await listLoaded(client, { timeoutMs });
    out.ok = true;
  } catch (e) {
    out.error = e instanceof ChimeraError ? [e.message, e.hint ? `what to do: ${e.hint}` : ''].filter(Boolean).join(' — ') : errorMessage(e);
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** "1.2 GiB, 0.8 GiB in GPU memory (partial offload)" and the like. */
export function memoryLine(m: LoadedModel): string {
  if (m.offload === 'none') return `${formatBytes(m.size)}, CPU only (nothing in GPU memory)`;
  if (m.offload === 'full') return `${formatBytes(m.size)}, all in GPU memory`;
  const pct = m.size > 0 ? Math.round((m.size_vram / m.size) * 100) : 0;
  return `${formatBytes(m.size)}, ${formatBytes(m.size_vram)} in GPU memory (partial offload: ${pct}% on the GPU, the rest on the CPU — slower)`;
}

export function endpointLines(st: EndpointStatus): string[] {
  if (!st.ok) return [`${st.name} (${st.url}): unreachable or not Ollama — ${st.error ?? 'no answer'}`];
  const lines = [`${st.name} (${st.url}): Ollama ${st.version}, ${st.models.length} model(s) installed, ${st.loaded.length} loaded`];
  for (const m of st.models) lines.push(`  installed: ${m.name} (${[m.parameter_size, m.quantization_level, formatBytes(m.size)].filter(Boolean).join(', ')})`);
  for (const m of st.loaded) lines.push(`  loaded: ${m.name} — ${memoryLine(m)}${m.context_length ? `, context ${m.context_length}` : ''}${m.expires_at ? `, unloads ${m.expires_at}` : ''}`);
  return lines;
}
