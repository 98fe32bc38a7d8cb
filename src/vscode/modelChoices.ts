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
  const where = `${endpoint.name} (${endpoint.url})`;
  if ('error' in installed) {
    out.push({ kind: 'separator', label: `models on ${where} could not be listed: ${installed.error}` });
  } else {
    out.push({ kind: 'separator', label: `every call on one model — installed on ${where}` });
    for (const m of installed.names) {
      out.push({ kind: 'model', model: m, label: m, description: usedByFile.includes(m) ? 'named in the file' : '' });
    }
  }
  out.push({ kind: 'other', label: '$(edit) Other model…', description: 'type a model tag' });
  return out;
}
