#!/usr/bin/env node
// Example external implementation (Node, standard library only) of the report-agent workflow:
// ingest CSV/JSON/Markdown files, build an inventory, one analysis call, one report call, both
// streamed through the Ollama API; writes analysis.md and report.md. Its twin, python_agent.py, uses
// the same inventory format and the same prompts, so comparing the two compares implementations only.
//
//   node node-agent.mjs --data DIR --out DIR [--base-url URL] [--model NAME] [--options JSON] [--self-report]
//
// Exit codes: 0 done, 2 bad arguments, 3 an LLM call failed, 4 files could not be read or written.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const ANALYSIS_PROMPT = `You are reviewing benchmark data from local LLM inference experiments.
Data inventory:
{inventory}

Write an analysis in four parts: Summary, Performance Findings, Metric Comparison, Tuning Recommendations.
Be specific and brief.`;

const REPORT_PROMPT = `Write a technical report in markdown from the analysis below, with the sections
Executive Summary, Data Ingestion Summary, Performance Analysis, Key Findings, Recommendations, Appendix.

Analysis:
{analysis}`;

const TYPES = { '.csv': 'CSV', '.json': 'JSON', '.md': 'Markdown' };
const LISTED_PER_TYPE = 5;

function fail(code, message) {
  process.stderr.write(`node-agent: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const a = { data: null, out: null, baseUrl: process.env.OLLAMA_HOST || 'http://127.0.0.1:11434', model: 'gemma3:latest', options: {}, selfReport: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(2, `${k} needs a value`);
      return argv[++i];
    };
    if (k === '--data') a.data = value();
    else if (k === '--out') a.out = value();
    else if (k === '--base-url') a.baseUrl = value();
    else if (k === '--model') a.model = value();
    else if (k === '--options') {
      try {
        a.options = JSON.parse(value());
      } catch {
        fail(2, '--options must be a JSON object');
      }
      if (!a.options || typeof a.options !== 'object' || Array.isArray(a.options)) fail(2, '--options must be a JSON object');
    } else if (k === '--self-report') a.selfReport = true;
    else fail(2, `unknown argument ${k}`);
  }
  if (!a.data || !a.out) fail(2, 'usage: node-agent.mjs --data DIR --out DIR [--base-url URL] [--model NAME] [--options JSON] [--self-report]');
  if (!/^https?:\/\//.test(a.baseUrl)) a.baseUrl = `http://${a.baseUrl}`;
  a.baseUrl = a.baseUrl.replace(/\/+$/, '');
  return a;
}

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.isFile() && TYPES[extname(e.name).toLowerCase()]) out.push(full);
  }
  return out;
}

/** One line about a file: size, CSV columns, JSON shape or the first Markdown line. */
function describe(path, type, bytes) {
  const text = readFileSync(path, 'utf8');
  let detail = '';
  if (type === 'CSV') detail = `; columns: ${(text.split(/\r?\n/)[0] || '').split(',').map((c) => c.trim()).join(', ')}`;
  else if (type === 'JSON') {
    try {
      const v = JSON.parse(text);
      detail = Array.isArray(v) ? `; array of ${v.length}` : v && typeof v === 'object' ? `; object with ${Object.keys(v).length} keys` : '; scalar';
    } catch {
      detail = '; not valid JSON';
    }
  } else detail = `; first line: ${(text.split(/\r?\n/).find((l) => l.trim()) || '').trim().slice(0, 80)}`;
  return `${bytes} bytes${detail}`;
}

const isoSeconds = (ms) => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;

function inventory(root) {
  const files = walk(root, []).map((full) => {
    const st = statSync(full);
    return { full, rel: relative(root, full).split(sep).join('/'), type: TYPES[extname(full).toLowerCase()], bytes: st.size, mtimeMs: st.mtimeMs };
  });
  files.sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
  const total = files.reduce((s, f) => s + f.bytes, 0);
  const lines = [`Files analysed: ${files.length} (${total} bytes)`];
  for (const type of ['CSV', 'JSON', 'Markdown']) {
    const of = files.filter((f) => f.type === type);
    if (of.length === 0) continue;
    const bytes = of.reduce((s, f) => s + f.bytes, 0);
    const newest = Math.max(...of.map((f) => f.mtimeMs));
    lines.push(`${type} files: ${of.length}, ${bytes} bytes, newest ${isoSeconds(newest)}`);
    for (const f of of.slice(0, LISTED_PER_TYPE)) lines.push(`  - ${f.rel} (${describe(f.full, type, f.bytes)})`);
    if (of.length > LISTED_PER_TYPE) lines.push(`  ... and ${of.length - LISTED_PER_TYPE} more`);
  }
  return { count: files.length, text: lines.join('\n') };
}

/** One streamed /api/generate call; returns the text and what the program itself measured. */
async function generate(args, stage, prompt) {
  const body = { model: args.model, prompt, stream: true };
  if (Object.keys(args.options).length > 0) body.options = args.options;
  const t0 = performance.now();
  let res;
  try {
    res = await fetch(`${args.baseUrl}/api/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Chimeraforge-Stage': stage }, body: JSON.stringify(body) });
  } catch (e) {
    fail(3, `${stage}: ${args.baseUrl} did not answer (${e.cause?.code ?? e.message})`);
  }
  const headersMs = performance.now() - t0;
  if (!res.ok) fail(3, `${stage}: HTTP ${res.status}: ${(await res.text()).trim()}`);
  const decoder = new TextDecoder();
  let buffered = '';
  let text = '';
  let final = null;
  const chunkMs = [];
  const onLine = (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      fail(3, `${stage}: the server sent a line that is not JSON`);
    }
    if (msg.error) fail(3, `${stage}: error inside the stream: ${msg.error}`);
    if (msg.response) {
      text += msg.response;
      chunkMs.push(performance.now() - t0);
    }
    if (msg.done) final = msg;
  };
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  }
  onLine(buffered + decoder.decode());
  const endMs = performance.now() - t0;
  if (!final) fail(3, `${stage}: the stream ended without a done line`);
  if (args.selfReport) {
    const report = { chimeraforge: 'call', stage, api: 'generate', model: args.model, options: args.options, stream: true, status: 'ok', headers_ms: headersMs, first_token_ms: chunkMs[0] ?? null, end_ms: endMs, chunk_ms: chunkMs, text_chars: text.length, prompt_chars: prompt.length, final };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
  return text;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let inv;
  try {
    inv = inventory(args.data);
  } catch (e) {
    fail(4, `cannot read ${args.data}: ${e.message}`);
  }
  const analysis = await generate(args, 'analysis', ANALYSIS_PROMPT.replace('{inventory}', inv.text));
  const report = await generate(args, 'report', REPORT_PROMPT.replace('{analysis}', analysis));
  const header = `# Technical Report\n\nModel: ${args.model}\nOptions: ${JSON.stringify(args.options)}\nFiles analysed: ${inv.count}\n\n`;
  try {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'analysis.md'), `${analysis}\n`);
    writeFileSync(join(args.out, 'report.md'), `${header}${report}\n`);
  } catch (e) {
    fail(4, `cannot write into ${args.out}: ${e.message}`);
  }
  process.stdout.write(`node-agent: ${inv.count} files, analysis ${analysis.length} chars, report ${report.length} chars → ${join(args.out, 'report.md')}\n`);
}

await main();
