// Soak: the built CLI runs a multi-agent experiment (N agents over E embedded engines in paced mode, a
// fast stand-in server) for M minutes and is then stopped with SIGINT, as a user stops an overnight run.
// Every few seconds the CLI's RSS (/proc/PID/status VmRSS) and open file handles (/proc/PID/fd) are
// sampled. The report (JSON + md) gives the RSS slope per 1,000 runs after warm-up, max RSS, runs,
// calls, errors, files written and bytes per run.
//   npm run soak -- --minutes 3 --agents 16 --endpoints 2 [--out DIR] [--max-slope MB_PER_1K_RUNS]
//                   [--max-growth-pct PCT] [--max-files N]
// Exit 1 when a check fails: an error that was not injected, no report, or a budget given is exceeded:
// --max-slope (RSS MB per 1,000 runs over the last two thirds), --max-growth-pct (fitted RSS growth over
// that window, % of its start: "flat within 10%"), --max-files (files in the TR directory: bounded, not
// one per call).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine, type EngineHandle } from '../engine/api';
import { forEachRunSync } from '../src/core/report/runLines';
import { callsOf } from '../src/core/stats/runValues';
import { rssTrend, type SoakSample } from './lib/soakStats';
import { soakMarkdown } from './lib/soakReport';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    agents: { type: 'string', default: '16' },
    endpoints: { type: 'string', default: '2' },
    tokens: { type: 'string', default: '64' },
    'interval-s': { type: 'string', default: '3' },
    'max-slope': { type: 'string' },
    'max-growth-pct': { type: 'string' },
    'max-files': { type: 'string' },
    out: { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const agents = Number(args.agents);
const endpointCount = Number(args.endpoints);
const tokens = Number(args.tokens);
const intervalMs = Number(args['interval-s']) * 1000;
const budget = (name: 'max-slope' | 'max-growth-pct' | 'max-files'): number | null => (args[name] === undefined ? null : Number(args[name]));
const maxSlope = budget('max-slope');
const maxGrowthPct = budget('max-growth-pct');
const maxFiles = budget('max-files');

/** The commit the soak ran (with "+dirty" when the tree differs from it); null outside a git checkout. */
function gitCommit(root: string): string | null {
  try {
    const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

function procStatus(pid: number): { rssMb: number; fds: number } | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return { rssMb: kb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return null; // the process has just ended
  }
}

function completed(trDir: string): number {
  try {
    return (JSON.parse(readFileSync(join(trDir, 'meta.json'), 'utf8')) as { counts: { completed: number } }).counts.completed;
  } catch {
    return Number.NaN; // not written yet (or mid-rename on a platform without atomic replace)
  }
}

function filesUnder(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = filesUnder(p);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'cf-soak-'));
  const reportsDir = join(work, 'reports');
  const engines: EngineHandle[] = [];
  const paced = { ttftMs: 5, tokensPerSec: 2000, tokens };
  for (let i = 0; i < endpointCount; i++) engines.push(await startEngine({ mode: 'paced', paced, parallel: Math.min(64, Math.ceil(agents / endpointCount)) }));
  const endpoints = Object.fromEntries(engines.map((e, i) => [i === 0 ? 'default' : `e${i}`, e.url]));
  const names = Object.keys(endpoints);
  const experiment = {
    title: `Soak: ${agents} agents on ${endpointCount} endpoints`, kind: 'multi-agent', model: 'tiny:latest', endpoints,
    // More repetitions than the minutes can run: the soak is stopped with SIGINT.
    repetitions: Math.max(100, Math.ceil(minutes * 60 * 50)), warmup: 1, sequentialBaseline: false,
    workflow: { type: 'prompt', prompts: ['Summarise the benchmark results in one paragraph.'] },
    agents: Array.from({ length: agents }, (_, i) => ({ name: `agent${i + 1}`, endpoint: names[i % names.length] })),
  };
  const file = join(work, 'soak.experiment.json');
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  const trDir = join(reportsDir, 'TR1');
  const cli = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'run', file, '--reports-dir', reportsDir, '--tr', 'TR1', '--no-gpu-sampling', '--workspace', work], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  cli.stderr!.on('data', (b: Buffer) => {
    stderr.push(b.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<number | null>((res) => cli.once('exit', (code) => res(code)));
  const t0 = Date.now();
  const samples: SoakSample[] = [];
  const sample = (): void => {
    const p = procStatus(cli.pid!);
    const runs = completed(trDir);
    if (p && Number.isFinite(runs)) samples.push({ t: (Date.now() - t0) / 1000, runs, ...p });
  };
  const timer = setInterval(sample, intervalMs);
  const stopAt = setTimeout(() => cli.kill('SIGINT'), minutes * 60_000);
  const code = await exited;
  clearInterval(timer);
  clearTimeout(stopAt);
  await Promise.all(engines.map((e) => e.stop()));

  let runs = 0;
  let calls = 0;
  let failedCalls = 0;
  let failedRuns = 0;
  const { corrupt } = forEachRunSync(join(trDir, 'runs.jsonl'), (r) => {
    runs++;
    if (r.status === 'failed') failedRuns++;
    for (const c of callsOf(r)) {
      calls++;
      if (c.status === 'failed') failedCalls++;
    }
  });
  const tr = filesUnder(trDir);
  const runsBytes = statSync(join(trDir, 'runs.jsonl')).size;
  const report = join(reportsDir, 'Technical_Report_1.md');
  const reportWritten = (() => { try { return statSync(report).isFile(); } catch { return false; } })();
  const trend = rssTrend(samples);
  const result = {
    date: new Date().toISOString(),
    config: { commit: gitCommit(root), minutes, agents, endpoints: endpointCount, tokensPerCall: tokens, paced, intervalS: intervalMs / 1000, node: process.version, platform: `${process.platform} ${process.arch}` },
    durationS: (Date.now() - t0) / 1000,
    cliExitCode: code,
    runs, calls, failedRuns, failedCalls, corruptLines: corrupt.length,
    maxRssMb: Math.max(...samples.map((s) => s.rssMb)),
    maxFds: Math.max(...samples.map((s) => s.fds)),
    ...trend,
    maxSlopeBudget: maxSlope,
    maxGrowthPctBudget: maxGrowthPct,
    maxFilesBudget: maxFiles,
    filesWritten: tr.files,
    trBytes: tr.bytes,
    runsJsonlBytesPerRun: runs ? runsBytes / runs : null,
    trBytesPerRun: runs ? tr.bytes / runs : null,
    reportWritten,
    samples,
  };
  const problems: string[] = [];
  if (code !== 130 && code !== 0) problems.push(`the CLI exited ${code} (expected 130 after SIGINT): ${stderr.join('').slice(-2000)}`);
  if (failedCalls > 0 || failedRuns > 0 || corrupt.length > 0) problems.push(`${failedRuns} failed runs, ${failedCalls} failed calls, ${corrupt.length} unreadable lines: none was injected`);
  if (!reportWritten) problems.push(`no report at ${report}`);
  if (runs < 10) problems.push(`only ${runs} runs: too few to judge`);
  if (maxSlope !== null && (trend.rssSlopeMbPer1kRuns === null || trend.rssSlopeMbPer1kRuns > maxSlope)) {
    problems.push(`RSS slope ${trend.rssSlopeMbPer1kRuns?.toFixed(2)} MB per 1,000 runs over the last two thirds exceeds the budget of ${maxSlope}`);
  }
  if (maxGrowthPct !== null && (trend.rssGrowthPct === null || trend.rssGrowthPct > maxGrowthPct)) {
    problems.push(`fitted RSS growth ${trend.rssGrowthPct?.toFixed(1)}% over the last two thirds exceeds the budget of ${maxGrowthPct}%`);
  }
  if (maxFiles !== null && tr.files > maxFiles) problems.push(`${tr.files} files in the TR directory exceed the bound of ${maxFiles}`);
  const out = resolve(args.out ?? work);
  mkdirSync(out, { recursive: true });
  const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
  writeFileSync(join(out, `soak-${stamp}.json`), `${JSON.stringify({ ...result, problems }, null, 2)}\n`);
  writeFileSync(join(out, `soak-${stamp}.md`), soakMarkdown(result, problems));
  process.stdout.write(soakMarkdown(result, problems));
  process.stdout.write(`\nsoak report: ${join(out, `soak-${stamp}.json`)} (TR: ${trDir})\n`);
  process.exitCode = problems.length ? 1 : 0;
}

void main().catch((e: unknown) => {
  process.stderr.write(`soak: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
