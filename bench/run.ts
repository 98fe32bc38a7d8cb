// `npm run bench`: every figure of issue 8, written to bench/results/latest.json, a dated copy and
// bench/results/latest.md. Never fails on speed: a figure that cannot be measured is recorded under
// `errors` and the others still run. Flags: --quick (fewer repetitions, smaller scale), --only a,b.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine, type EngineHandle } from '../engine/api';
import { errorMessage } from '../src/core/errors';
import { measureActivation } from './activation';
import { measureBundles } from './bundles';
import { measureDashboard } from './dashboard';
import { measureEngine } from './engine';
import { measureFidelity } from './fidelity';
import { measureOverhead } from './overhead';
import { measureScale, readTemplate } from './scale';
import { measureSkew } from './skew';
import { measureLoadgen } from './loadgen';
import { measureThroughput } from './throughput';
import { describeMachine, loadNow } from './lib/machine';
import { pacedTemplateTr } from './lib/paced';
import { FIGURE_NAMES, RESULTS_SCHEMA, headlineFiguresOf, headlineOf, markdownOf, type BenchResults, type FigureName, type Figures } from './lib/results';

const PACED: readonly FigureName[] = ['fidelity', 'overhead', 'throughput', 'skew', 'loadgen', 'scale', 'dashboard'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string', default: resolve('bench', 'results') } } });
  const quick = values.quick ?? false;
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : null;
  const unknown = only?.filter((n) => !FIGURE_NAMES.includes(n as FigureName)) ?? [];
  if (unknown.length) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${FIGURE_NAMES.join(', ')}`);
  const wanted = (n: FigureName): boolean => !only || only.includes(n);
  const log = (s: string): void => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${s}`);
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAvgStart.join(' ')}`);
  const figures: Figures = {};
  const errors: BenchResults['errors'] = {};
  const measure = async <K extends FigureName>(name: K, fn: () => Promise<Figures[K]> | Figures[K]): Promise<void> => {
    if (!wanted(name)) return;
    try {
      figures[name] = await fn();
    } catch (e) {
      errors[name] = errorMessage(e);
      log(`${name}: not measured: ${errorMessage(e)}`);
    }
  };

  await measure('bundle_bytes', () => measureBundles());

  const work = mkdtempSync(join(tmpdir(), 'cf-bench-run-'));
  let engine: EngineHandle | null = null;
  try {
    if (PACED.some(wanted)) {
      engine = await startEngine({ mode: 'paced', parallel: 16 });
      const url = engine.url;
      await measure('fidelity', () => measureFidelity(url, quick ? { reps: 2, runsPerRep: { 1: 5, 8: 2 } } : { reps: 4, runsPerRep: { 1: 10, 8: 4 } }, log));
      await measure('overhead', () => measureOverhead(url, quick ? { reps: 4, runsPerRep: 1 } : { reps: 12, runsPerRep: 1 }, log));
      await measure('throughput', () => measureThroughput(url, quick ? { reps: 1, streamSeconds: 0.5 } : { reps: 3, streamSeconds: 1 }, log));
      await measure('skew', () => measureSkew(url, quick ? { reps: 2, runsPerRep: 5 } : { reps: 3, runsPerRep: 20 }, log));
      await measure('loadgen', () => measureLoadgen(url, quick ? { reps: 1, seconds: 1 } : { reps: 3, seconds: 3 }, log));
      const template = wanted('scale') || wanted('dashboard') ? await pacedTemplateTr(url, join(work, 'reports')) : null;
      await engine.stop();
      engine = null;
      if (template) {
        await measure('scale', () => measureScale(readTemplate(template), quick ? { runs: 100_000, reps: 1, trs: 1000 } : { runs: 1_000_000, reps: 2, trs: 1000 }, log));
        await measure('dashboard', () => measureDashboard(template, { reps: quick ? 2 : 5, runs: 10_000 }, log));
      }
    }
  } finally {
    await engine?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  await measure('activation', () => measureActivation({ reps: quick ? 1 : 3 }, log));
  await measure('engine', () => measureEngine({ reps: quick ? 1 : 3 }, log));

  machine.loadAvgEnd = loadNow();
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationS: Math.round((performance.now() - t0) / 100) / 10,
    quick,
    machine,
    headline: headlineFiguresOf(figures),
    table: headlineOf(figures),
    figures,
    errors,
    notes: notesOf(machine),
  };
  mkdirSync(values.out!, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(values.out!, 'latest.json'), json);
  writeFileSync(join(values.out!, `${startedAt.replace(/:/g, '-').slice(0, 19)}.json`), json);
  writeFileSync(join(values.out!, 'latest.md'), markdownOf(results));
  console.log(markdownOf(results));
  log(`wrote ${join(values.out!, 'latest.json')}`);
}

function notesOf(m: ReturnType<typeof describeMachine>): string[] {
  const notes: string[] = [];
  if (m.loadAvgStart[0] > m.cores * 0.5 || (m.loadAvgEnd?.[0] ?? 0) > m.cores * 0.5) {
    notes.push(`The machine was shared: load average ${m.loadAvgStart[0]} at start and ${m.loadAvgEnd?.[0]} at the end on ${m.cores} cores. `
      + 'Latency figures (TTFT error, skew, render, activation) carry scheduling delays that are not ours; the bare-reader rows measured in the same repetitions show that floor.');
  }
  notes.push('See bench/README.md for what each figure compares and the causes found behind missed goals.');
  return notes;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench: ${errorMessage(e)}`);
    process.exit(1);
  },
);
