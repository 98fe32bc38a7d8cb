// scale.*: statistics over 1,000,000 run records streamed from runs.jsonl (forEachRun → SummaryAccumulator,
// the path the report and the dashboard take) and listing 1,000 TR directories (listTrs). The records and
// meta.json are real ones from a paced-engine run, replicated with seeded variation, so sizes and shapes
// are what the product writes. Parts (line splitting, JSON.parse, accumulate) are timed apart to show
// where the time goes.
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachRunSync } from '../src/core/report/runLines';
import { mulberry32 } from '../src/core/random';
import { SummaryAccumulator } from '../src/core/stats/accumulator';
import { forEachRun } from '../src/core/store/read';
import { listTrs } from '../src/core/store/list';
import { loadTrView } from '../src/vscode/dashboard/trData';
import type { RunRecord } from '../src/core/types';
import { spreadOf, type Spread } from './lib/stats';

export interface ScaleResult {
  runs: number;
  runs_jsonl_bytes: number;
  bytes_per_line: number;
  /** forEachRun({ omitChunkTimes }) → SummaryAccumulator → finish(), ms. */
  summary_1m_runs_ms: Spread;
  /** The same summary parsing the chunk times too (forEachRun without the option), ms. */
  summary_parsing_chunk_times_ms: Spread;
  /** One pass each, ms: splitting the lines alone; the report's reader (forEachRunSync, full parse). */
  split_lines_ms: number;
  /**
   * The bare reader's floor, ms: the same split plus one JSON.parse per line, nothing kept (median of the
   * repetitions, each beside a summary repetition).
   */
  bare_parse_ms: Spread;
  /** summary_1m_runs_ms ÷ bare_parse_ms per repetition: the summary's own share above parsing. */
  summary_ratio_vs_bare_parse: Spread;
  /** The dashboard's TR view (loadTrView: streamed runs.jsonl, digest, figures) of the same TR, ms. */
  tr_view_1m_runs_ms: number;
  /** Size of the one message that view sends to the webview (JSON bytes). */
  tr_view_message_bytes: number;
  report_reader_summary_ms: number;
  trs: number;
  meta_json_bytes: number;
  list_1000_trs_ms: Spread;
}

const SUMMARY_OPTS = { kind: 'prompt', variants: [{ name: 'baseline', options: {} }, { name: 'chimera', options: { num_ctx: 1024 } }] };

/** One million records from a real one: run numbers, variants and the timing numbers vary (seeded). */
export function writeRunsJsonl(file: string, template: RunRecord, count: number): number {
  const rnd = mulberry32(7);
  const fd = openSync(file, 'w');
  let bytes = 0;
  const parts: string[] = [];
  let pending = 0;
  const r = structuredClone(template);
  const call = r.calls[0];
  const base = structuredClone(template.calls[0]);
  for (let i = 0; i < count; i++) {
    const f = 0.9 + 0.2 * rnd();
    r.run = i;
    r.repetition = i >> 1;
    r.variant = i % 2 === 0 ? 'baseline' : 'chimera';
    r.wallMs = template.wallMs * f;
    call.metrics!.ttft_ms = base.metrics!.ttft_ms! * f;
    call.metrics!.e2e_ms = base.metrics!.e2e_ms * f;
    call.metrics!.client_decode_tps = base.metrics!.client_decode_tps! / f;
    call.metrics!.decode_tps = base.metrics!.decode_tps! * (i % 2 === 0 ? 1 : 1.05) / f;
    call.client.endMs = base.client.endMs * f;
    call.server!.eval_duration = Math.round(base.server!.eval_duration * f);
    const line = `${JSON.stringify(r)}\n`;
    parts.push(line);
    pending += line.length;
    if (pending > 8 << 20) {
      bytes += writeSync(fd, parts.join(''));
      parts.length = 0;
      pending = 0;
    }
  }
  bytes += writeSync(fd, parts.join(''));
  closeSync(fd);
  return bytes;
}

/** One pass over the file split as forEachRun splits it, lines decoded and (parse) JSON.parsed, nothing kept (ms). */
async function linesOnly(file: string, parse = false): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  let pending: Buffer[] = [];
  const take = (b: Buffer): void => {
    const line = b.toString('utf8');
    if (parse && line.length > 0) n += JSON.parse(line) ? 1 : 0;
    else n += line.length > 0 ? 1 : 0;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      take(pending.length ? Buffer.concat([...pending, chunk.subarray(start, i)]) : chunk.subarray(start, i));
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (n === 0) throw new Error('scale: no lines read');
  return performance.now() - t0;
}

/** The report's reader (forEachRunSync, synchronous chunks) into the same accumulator. */
function summarizeReportPath(trDir: string): number {
  const t0 = performance.now();
  const acc = new SummaryAccumulator(SUMMARY_OPTS);
  forEachRunSync(join(trDir, 'runs.jsonl'), (r) => acc.add(r));
  acc.finish();
  return performance.now() - t0;
}

export async function summarizeStreamed(trDir: string, omitChunkTimes: boolean): Promise<{ ms: number; summary: unknown; count: number }> {
  const t0 = performance.now();
  const acc = new SummaryAccumulator(SUMMARY_OPTS);
  const { count } = await forEachRun(trDir, (r) => acc.add(r), { omitChunkTimes });
  const summary = acc.finish();
  return { ms: performance.now() - t0, summary, count };
}

export async function measureScale(template: { run: RunRecord; metaJson: string }, o: { runs: number; reps: number; trs: number }, log: (s: string) => void): Promise<ScaleResult> {
  const root = mkdtempSync(join(tmpdir(), 'cf-bench-scale-'));
  try {
    const trDir = join(root, 'TR1');
    mkdirSync(trDir);
    const file = join(trDir, 'runs.jsonl');
    const bytes = writeRunsJsonl(file, template.run, o.runs);
    log(`scale: wrote ${o.runs} runs, ${(bytes / 1e6).toFixed(0)} MB`);
    const summary: number[] = [];
    const full: number[] = [];
    const bare: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      // Alternate the order so that a warmer JIT or page cache does not favour one reading.
      for (const omit of rep % 2 === 0 ? [true, false] : [false, true]) {
        const r = await summarizeStreamed(trDir, omit);
        if (r.count !== o.runs) throw new Error(`scale: summary saw ${r.count} runs, expected ${o.runs}`);
        (omit ? summary : full).push(r.ms);
      }
      bare.push(await linesOnly(file, true));
      log(`scale rep ${rep + 1}: summary ${summary[rep].toFixed(0)} ms (parsing chunk times too: ${full[rep].toFixed(0)} ms; bare split + JSON.parse ${bare[rep].toFixed(0)} ms)`);
    }
    writeFileSync(join(trDir, 'meta.json'), template.metaJson.replace(/"id": "TR\d+(_v\d+)?"/, '"id": "TR1"'));
    const v0 = performance.now();
    const view = await loadTrView(root, 'TR1');
    const viewMs = performance.now() - v0;
    if (view.validity.runs !== o.runs) throw new Error(`scale: the TR view saw ${view.validity.runs} runs, expected ${o.runs}`);
    const viewBytes = JSON.stringify(view).length;
    log(`scale: dashboard TR view of ${o.runs} runs ${viewMs.toFixed(0)} ms, message ${viewBytes} bytes`);
    // Once each: where the time goes.
    const split = await linesOnly(file);
    const viaReport = summarizeReportPath(trDir);
    log(`scale: split lines ${split.toFixed(0)} ms; report reader ${viaReport.toFixed(0)} ms`);
    rmSync(file);

    const reports = join(root, 'reports');
    mkdirSync(reports);
    for (let i = 1; i <= o.trs; i++) {
      mkdirSync(join(reports, `TR${i}`));
      writeFileSync(join(reports, `TR${i}`, 'meta.json'), template.metaJson.replace(/"id": "TR\d+(_v\d+)?"/, `"id": "TR${i}"`));
    }
    const list: number[] = [];
    listTrs(reports);
    for (let rep = 0; rep < o.reps + 2; rep++) {
      const t0 = performance.now();
      const l = listTrs(reports);
      list.push(performance.now() - t0);
      if (l.length !== o.trs || l.some((x) => x.error)) throw new Error(`scale: listTrs returned ${l.length} entries (${l.filter((x) => x.error).length} errors)`);
    }
    log(`scale: list ${o.trs} TRs ${spreadOf(list).median.toFixed(0)} ms`);
    return {
      runs: o.runs,
      runs_jsonl_bytes: bytes,
      bytes_per_line: Math.round(bytes / o.runs),
      summary_1m_runs_ms: spreadOf(summary),
      split_lines_ms: split,
      bare_parse_ms: spreadOf(bare),
      summary_ratio_vs_bare_parse: spreadOf(summary.map((x, i) => x / bare[i])),
      tr_view_1m_runs_ms: viewMs,
      tr_view_message_bytes: viewBytes,
      summary_parsing_chunk_times_ms: spreadOf(full),
      report_reader_summary_ms: viaReport,
      trs: o.trs,
      meta_json_bytes: statSync(join(reports, 'TR1', 'meta.json')).size,
      list_1000_trs_ms: spreadOf(list),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A real TR from the paced engine: two variants like a TR109 A/B, so meta.json carries a real summary. */
export function readTemplate(trDir: string): { run: RunRecord; metaJson: string } {
  const runs = readFileSync(join(trDir, 'runs.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RunRecord);
  const measured = runs.find((r) => !r.warmup && r.status === 'ok' && r.valid);
  if (!measured) throw new Error(`scale: no measured run in ${trDir}`);
  return { run: measured, metaJson: readFileSync(join(trDir, 'meta.json'), 'utf8') };
}
