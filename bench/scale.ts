// scale.*: statistics over 1,000,000 run records streamed from runs.jsonl (forEachRun → SummaryAccumulator,
// the path the report and the dashboard take) and listing 1,000 TR directories (listTrs). The records and
// meta.json are real ones from a paced-engine run, replicated with seeded variation, so sizes and shapes
// are what the product writes. Parts (line splitting, JSON.parse, accumulate) are timed apart to show
// where the time goes.
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mulberry32 } from '../src/core/experiment/plan';
import { SummaryAccumulator } from '../src/core/stats/accumulator';
import { forEachRun } from '../src/core/store/read';
import { listTrs } from '../src/core/store/list';
import type { RunRecord } from '../src/core/types';
import { spreadOf, type Spread } from './lib/stats';

export interface ScaleResult {
  runs: number;
  runs_jsonl_bytes: number;
  bytes_per_line: number;
  summary_1m_runs_ms: Spread;
  /** Where the summary's time goes (ms, one pass each): readline iteration alone, JSON.parse on top, accumulate + finish. */
  parts_ms: { readline_lines: Spread; readline_parse: Spread };
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
    call.metrics!.e2e_tps = base.metrics!.e2e_tps! / f;
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

async function readlineOnly(file: string, parse: boolean): Promise<number> {
  const t0 = performance.now();
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (parse) n += (JSON.parse(line) as RunRecord).run >= 0 ? 1 : 0;
    else n += line.length > 0 ? 1 : 0;
  }
  if (n === 0) throw new Error('scale: no lines read');
  return performance.now() - t0;
}

export async function summarizeStreamed(trDir: string): Promise<{ ms: number; summary: unknown; count: number }> {
  const t0 = performance.now();
  const acc = new SummaryAccumulator(SUMMARY_OPTS);
  const { count } = await forEachRun(trDir, (r) => acc.add(r));
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
    const lines: number[] = [];
    const parsed: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      const s = await summarizeStreamed(trDir);
      if (s.count !== o.runs) throw new Error(`scale: summary saw ${s.count} runs, expected ${o.runs}`);
      summary.push(s.ms);
      lines.push(await readlineOnly(file, false));
      parsed.push(await readlineOnly(file, true));
      log(`scale rep ${rep + 1}: summary ${s.ms.toFixed(0)} ms (readline ${lines[rep].toFixed(0)} ms, + JSON.parse ${parsed[rep].toFixed(0)} ms)`);
    }
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
      parts_ms: { readline_lines: spreadOf(lines), readline_parse: spreadOf(parsed) },
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
  const first = readFileSync(join(trDir, 'runs.jsonl'), 'utf8').split('\n')[0];
  return { run: JSON.parse(first) as RunRecord, metaJson: readFileSync(join(trDir, 'meta.json'), 'utf8') };
}
