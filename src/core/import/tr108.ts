// Layout tr108-csv (TR108): single-prompt benchmark CSVs (non-streamed requests, server fields in seconds).
// Raw rows become prompt-kind runs; the original's *_summary.csv files are compared with our recomputation.
import { join } from 'node:path';
import { deriveCallMetrics } from '../metrics/callMetrics';
import type { CallRecord, RunRecord, ServerFields } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';
import { close, mean, Tally } from './checks';
import { cellNumber, csvRecords } from './csv';
import { importDefinitions } from './definitions';
import { newEnvironment, noteGpu, noteModel } from './environment';
import { type EndpointNames, modelSlug, timeRange } from './names';
import { arr, type ImportScan, obj, str } from './scan';
import type { Difference, ImportPlan } from './types';

const NS_PER_S = 1e9;
export const TR108_RAW = [/^ollama_quant_bench\.csv$/, /_param_tuning\.csv$/, /_baseline\.csv$/];
const SUMMARY = /_param_tuning_summary\.csv$/;

/** gemma3_270m_baseline.csv → gemma3:270m (the sibling .json names the model when present). */
function modelFromFile(scan: ImportScan, dir: string, file: string, suffix: string): string {
  const stem = file.slice(0, -suffix.length);
  const json = obj(scan.readJsonQuiet(join(dir, `${stem}_baseline.json`)));
  const named = str(json?.model);
  if (named) return named;
  const i = stem.indexOf('_');
  return i < 0 ? `${stem}:latest` : `${stem.slice(0, i)}:${stem.slice(i + 1)}`;
}

function configName(gpu: number | undefined, ctx: number | undefined, temp: number | undefined): string {
  return `g${gpu}_c${ctx}_t${temp}`;
}

function rowCall(row: Record<string, string>, model: string, options: Record<string, unknown>, url: string, endpoint: string): CallRecord {
  const s = (k: string): number => cellNumber(row[k]) ?? 0;
  const server: ServerFields = {
    total_duration: 0,
    load_duration: Math.round(s('load_s') * NS_PER_S),
    prompt_eval_count: s('prompt_eval_count'),
    prompt_eval_duration: Math.round(s('prompt_eval_s') * NS_PER_S),
    eval_count: s('eval_count'),
    eval_duration: Math.round(s('eval_s') * NS_PER_S),
    done_reason: null,
  };
  // TR108 measured nothing on the client: no first-token time, no end time (NaN is stored as null).
  const client = { sendOffsetMs: 0, headersMs: null, firstTokenMs: null, endMs: NaN, chunkMs: [] };
  const error = row.error?.trim();
  const call: CallRecord = {
    stage: 'prompt', endpoint, url, model, api: 'generate', options, startedAt: row.timestamp ?? '',
    status: error ? 'failed' : 'ok', server: error ? null : server, client,
    metrics: error ? null : deriveCallMetrics(server, client), textChars: cellNumber(row.response_chars) ?? null, stream: false,
  };
  if (error) call.error = { code: 'E_ORIGINAL', message: error };
  const prompt = row.prompt_text ?? row.prompt;
  if (prompt) call.promptChars = prompt.length;
  return call;
}

/** The reference variant first: gemma3:latest's baseline (the model of every later TR), else the first baseline. */
function referenceFirst(variants: VariantSpec[]): VariantSpec[] {
  const ref = variants.find((v) => v.name === 'gemma3_latest/baseline') ?? variants.find((v) => v.name.endsWith('/baseline'));
  return ref ? [ref, ...variants.filter((v) => v !== ref)] : variants;
}

export function parseTr108(scan: ImportScan, endpoints: EndpointNames): ImportPlan {
  const runs: RunRecord[] = [];
  const variants = new Map<string, VariantSpec>();
  const env = newEnvironment();
  const url = 'http://localhost:11434';
  const endpoint = endpoints.name(url);
  const tps = new Tally();
  const ttft = new Tally();
  const summaries: { dir: string; rows: Record<string, string>[]; model: string | undefined }[] = [];
  const dirs = [scan.root, ...scan.dirs(scan.root).map((d) => join(scan.root, d))];
  for (const dir of dirs) {
    for (const file of scan.fileNames(dir)) {
      const path = join(dir, file);
      if (file === 'baseline_system_metrics.json') {
        for (const m of arr(obj(scan.readJson(path))?.metrics)) for (const g of arr(obj(m)?.gpu)) noteGpu(env, g, scan.rel(path));
        continue;
      }
      const isRaw = TR108_RAW.some((re) => re.test(file)) && !SUMMARY.test(file);
      if (!isRaw && !SUMMARY.test(file)) {
        if (!(file.endsWith('_baseline.json') && scan.fileNames(dir).includes(file.replace(/\.json$/, '.csv')))) scan.skip(path, file.endsWith('.md') ? 'markdown (not imported)' : 'not a TR108 result CSV (not read)');
        continue;
      }
      const text = scan.readText(path);
      if (text === undefined) continue;
      scan.files++;
      const { records, bad } = csvRecords(text);
      for (const line of bad) scan.skip(`${path}:${line}`, 'CSV row with a different number of fields than the header');
      const ownModel = file.startsWith('ollama_') ? undefined : modelFromFile(scan, dir, file, SUMMARY.test(file) ? '_param_tuning_summary.csv' : file.endsWith('_baseline.csv') ? '_baseline.csv' : '_param_tuning.csv');
      if (SUMMARY.test(file)) {
        summaries.push({ dir, rows: records, model: ownModel });
        continue;
      }
      records.forEach((row, i) => {
        const model = row.model || ownModel || 'unknown';
        noteModel(env, model);
        const gpu = cellNumber(row.num_gpu);
        const sweep = gpu !== undefined;
        const options = sweep ? { num_gpu: gpu, num_ctx: cellNumber(row.num_ctx), temperature: cellNumber(row.temperature) } : {};
        const variant = `${modelSlug(model)}/${sweep ? (row.config_name || configName(gpu, cellNumber(row.num_ctx), cellNumber(row.temperature))) : 'baseline'}`;
        if (!variants.has(variant)) variants.set(variant, { name: variant, scenario: modelSlug(model), options });
        const call = rowCall(row, model, options, url, endpoint);
        runs.push({
          run: runs.length + 1, variant, repetition: cellNumber(row.prompt_index) ?? (sweep ? 1 : i + 1), warmup: false,
          valid: call.status === 'ok', status: call.status === 'ok' ? 'ok' : 'failed', ...(call.error ? { error: call.error.message } : {}),
          startedAt: row.timestamp ?? '', wallMs: NaN, calls: [call], original: { file: scan.rel(path), row },
        });
      });
    }
  }
  for (const s of summaries) {
    // ollama_param_tuning_summary.csv names no model: it summarises ollama_param_tuning.csv beside it.
    const rawFile = scan.rel(join(s.dir, 'ollama_param_tuning.csv'));
    const model = s.model ?? runs.find((r) => (r.original as { file?: string }).file === rawFile)?.calls[0].model;
    if (model === undefined) continue;
    for (const row of s.rows) {
      const name = `${modelSlug(model)}/${row.config_name || configName(cellNumber(row.num_gpu), cellNumber(row.num_ctx), cellNumber(row.temperature))}`;
      const ok = runs.filter((r) => r.variant === name && r.status === 'ok');
      if (ok.length === 0) continue;
      const st = cellNumber(row.mean_tokens_s);
      if (st !== undefined) tps.check(name, close(st, mean(ok.map((r) => r.calls[0].metrics!.decode_tps ?? NaN)), 1e-3));
      const sf = cellNumber(row.mean_ttft_s);
      if (sf !== undefined) ttft.check(name, close(sf, mean(ok.map((r) => r.calls[0].metrics!.server_ttft_ms ?? NaN)) / 1000, 1e-3));
    }
  }
  const differences = [
    tps.row('*_param_tuning_summary.csv mean_tokens_s vs mean decode_tps of the raw rows', '*_param_tuning_summary.csv', 'The CSVs round to 2–4 decimals; agreement is checked to 0.1%.'),
    ttft.row('*_param_tuning_summary.csv mean_ttft_s vs mean server TTFT (load + prompt_eval) of the raw rows', '*_param_tuning_summary.csv'),
  ].filter((x): x is Difference => x !== null);
  const t = timeRange(runs.map((r) => r.startedAt));
  return {
    layout: 'tr108-csv', kind: 'prompt', title: 'Single-prompt inference benchmark and option sweeps (imported TR108 CSVs)', suggestedId: 'TR108',
    runs, variants: referenceFirst([...variants.values()]), outputs: new Map(), files: scan.files, skipped: scan.skipped, differences, environment: env,
    definitions: importDefinitions('tr108-csv'),
    notes: [
      'TTFT in TR108 is server-side (load + prompt_eval): it is stored as server_ttft_ms; no client TTFT or end time was measured (null).',
      'Baseline rows carry no options in the CSV (the report states 999/2048/0.3); their options are shown as {} (not stored).',
      'The first prompt of each baseline is a cold start (model load included); nothing is excluded.',
    ],
    experiment: {
      kind: 'prompt', layout: 'tr108-csv', models: env.models, endpoint: `${endpoint} = ${url} (not stored; Ollama default)`, api: 'generate', stream: false,
      prompts: [...new Set(runs.map((r) => (r.original as { row: Record<string, string> }).row).map((row) => row.prompt_text ?? row.prompt).filter((p): p is string => !!p))],
    },
    firstAt: t.first, lastAt: t.last,
  };
}
