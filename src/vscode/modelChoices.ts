// The model step of the palette's Run Experiment…: "as in the file" (the default, first) or one model
// for every call (experiment/modelOverride.ts), offered from the endpoint's /api/tags, or typed.
// No vscode import: the choices are unit-tested in plain Node; runCommands.ts shows them.

export type ModelChoice =
  | { readonly kind: 'as-in-file'; readonly label: string; readonly description: string }
  | { readonly kind: 'model'; readonly model: string; readonly label: string; readonly description: string }
  | { readonly kind: 'other'; readonly label: string; readonly description: string }
  | { readonly kind: 'separator'; readonly label: string };

/** What the endpoint answered to GET /api/tags: its model names, or why there are none. */
export type InstalledModels = { readonly names: readonly string[] } | { readonly error: string };

export function modelChoices(usedByFile: readonly string[], endpoint: { name: string; url: string }, installed: InstalledModels): ModelChoice[] {
  const out: ModelChoice[] = [{
    kind: 'as-in-file', label: '$(file-code) As in the file',
    description: usedByFile.length === 1 ? usedByFile[0] : `${usedByFile.join(', ')} (per variant or agent)`,
  }];
  // VS Code draws a separator's label on the right of the row after it: kept short, so the model name
  // beside it is not cut off; the endpoint's URL and the failure go into the descriptions.
  if ('error' in installed) {
    out.push({ kind: 'separator', label: `${endpoint.name}: models not listed` });
  } else {
    out.push({ kind: 'separator', label: `installed on ${endpoint.name}` });
    for (const m of installed.names) {
      out.push({ kind: 'model', model: m, label: m, description: usedByFile.includes(m) ? 'every call on it · named in the file' : 'every call on it' });
    }
  }
  const why = 'error' in installed ? ` (${endpoint.url} did not list its models: ${installed.error})` : '';
  out.push({ kind: 'other', label: '$(edit) Other model…', description: `type a model tag${why}` });
  return out;
}
