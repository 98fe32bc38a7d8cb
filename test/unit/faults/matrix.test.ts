// The fault matrix: `chimeraforge run` against the engine's fault mode, one case per fault the server or
// the network can throw at a run. Each case checks that the faulty runs are recorded as failed with the
// server's message and their typed code, that the experiment goes on, the exit code and meta status,
// that meta.json parsed at every read while the run went on, and that no planned run is lost: runs
// recorded == planned, failed runs == faults the engine says it injected.
import { outputText } from '../../helpers/outputs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle, type FaultConfig, type PacedConfig } from '../../../engine/api';
import { mulberry32 } from '../../../src/core/random';
import type { ErrorCode } from '../../../src/core/errors';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, ensureCliBuilt, readTr, startCli, waitFor, watchMeta, writeExperiment } from './helpers';

const REPS = 5;
const TOKENS = 8;
const PACED: PacedConfig = { ttftMs: 10, tokensPerSec: 200, tokens: TOKENS };

interface Case {
  name: string;
  fault: FaultConfig;
  /** Experiment fields beyond the common ones (retry, timeoutMs…). */
  x?: Record<string, unknown>;
  reps?: number;
  /** Status of each run, in order. */
  statuses: ('ok' | 'failed')[];
  code: ErrorCode | null;
  /** What the recorded error must say (the server's message or the cause). */
  message?: RegExp;
  /** Faults the engine must report injected (default: the failed runs). */
  injected?: number;
  /** A failed run gave up within [lo, hi) ms: after timeoutMs, long before the stall would have ended. */
  failedWallMs?: [number, number];
  /** Paced schedule for this case (default: the suite's). */
  paced?: Partial<PacedConfig>;
  /** retries recorded per run (absent = none). */
  retries?: (number | undefined)[];
  /** Error code of each failed attempt kept in the retried calls' attempts[]. */
  attemptCode?: ErrorCode;
  exit: 0 | 1;
}

const F = 'failed' as const;
const O = 'ok' as const;
// Two faults after one good request: runs 2 and 3 fail, runs 4 and 5 show the experiment went on.
const twoAfterOne = { afterGood: 1, count: 2 };

/** The runs a fault with `probability` strikes: each request draws from mulberry32(seed) (engine/README.md). */
function seededStatuses(n: number, probability: number, seed: number): ('ok' | 'failed')[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => (rng() < probability ? F : O));
}

const CASES: Case[] = [
  { name: 'HTTP 500', fault: { kind: 'http500', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_SERVER', message: /HTTP 500: llama runner process has terminated: injected fault/, exit: 1 },
  { name: '503 busy, no retry policy', fault: { kind: 'http503', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_BUSY', message: /HTTP 503: server busy, please try again/, exit: 1 },
  {
    name: '503 busy, retried by the declared policy until it passes',
    fault: { kind: 'http503', ...twoAfterOne }, x: { retry: { attempts: 2, delayMs: 20 } },
    statuses: [O, O, O, O, O], code: null, injected: 2, retries: [undefined, 2, undefined, undefined, undefined], attemptCode: 'E_BUSY', exit: 0,
  },
  {
    name: '503 busy for good: retries are bounded, then the run fails',
    fault: { kind: 'http503', afterGood: 1 }, x: { retry: { attempts: 2, delayMs: 20 } }, reps: 3,
    statuses: [O, F, F], code: 'E_BUSY', message: /server busy/, injected: 6, retries: [undefined, 2, 2], attemptCode: 'E_BUSY', exit: 1,
  },
  { name: 'mid-stream {"error"} line', fault: { kind: 'midstream', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_MIDSTREAM', message: /an error was encountered while running the model: injected mid-stream fault/, exit: 1 },
  // Tokens 200 ms apart: the client has read some before the RST (an RST may drop unread data, and then
  // the client rightly sees no response at all: see the not-streamed case).
  { name: 'connection reset', fault: { kind: 'reset', ...twoAfterOne }, paced: { tokensPerSec: 5, tokens: 2 }, statuses: [O, F, F, O, O], code: 'E_RESET', message: /the connection broke mid-response \(ECONNRESET\)/, exit: 1 },
  { name: 'stream ended without done', fault: { kind: 'nodone', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_NO_DONE', message: /the stream ended without a done:true line/, exit: 1 },
  { name: 'malformed NDJSON line', fault: { kind: 'malformed', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_MALFORMED', message: /the server sent a line that is not JSON/, exit: 1 },
  {
    name: 'stall past timeoutMs', fault: { kind: 'stall', ...twoAfterOne, stallMs: 8_000 }, x: { timeoutMs: 1_000 },
    statuses: [O, F, F, O, O], code: 'E_TIMEOUT', message: /stalled: nothing received for 1000 ms/, failedWallMs: [1_000, 8_000], exit: 1,
  },
  { name: '404 model missing mid-experiment', fault: { kind: 'http404', ...twoAfterOne }, statuses: [O, F, F, O, O], code: 'E_MODEL_NOT_FOUND', message: /model 'tiny(:latest)?' not found/, exit: 1 },
  // A failed warm-up is recorded and counted, but the measured runs decide the status.
  { name: 'a fault in the warm-up run', fault: { kind: 'http500', count: 1 }, x: { warmup: 1 }, reps: 3, statuses: [F, O, O, O], code: 'E_SERVER', message: /HTTP 500: llama runner/, exit: 0 },
  // Faults drawn at random (seeded): which runs fail follows from the engine's documented rule.
  { name: 'seeded random mid-stream errors over 20 runs', fault: { kind: 'midstream', probability: 0.3, seed: 11 }, reps: 20, statuses: seededStatuses(20, 0.3, 11), code: 'E_MIDSTREAM', message: /injected mid-stream fault/, exit: 1 },
  // Not streamed (stream: false): the same faults strike before or instead of the one JSON body.
  { name: 'not streamed: error instead of the body', fault: { kind: 'midstream', ...twoAfterOne }, x: { stream: false }, statuses: [O, F, F, O, O], code: 'E_SERVER', message: /HTTP 500: an error was encountered while running the model/, exit: 1 },
  // No byte arrived: to the client this is the endpoint going away (E_UNREACHABLE), like a refused connection.
  { name: 'not streamed: connection reset before the response', fault: { kind: 'reset', ...twoAfterOne }, x: { stream: false }, statuses: [O, F, F, O, O], code: 'E_UNREACHABLE', message: /no response \(ECONNRESET\)/, exit: 1 },
  {
    name: 'not streamed: reset before the response, retried by the declared policy',
    fault: { kind: 'reset', afterGood: 1, count: 1 }, x: { stream: false, retry: { attempts: 2, delayMs: 20 } },
    statuses: [O, O, O, O, O], code: null, injected: 1, retries: [undefined, 1, undefined, undefined, undefined], attemptCode: 'E_UNREACHABLE', exit: 0,
  },
  { name: 'not streamed: body with done:false', fault: { kind: 'nodone', ...twoAfterOne }, x: { stream: false }, statuses: [O, F, F, O, O], code: 'E_NO_DONE', message: /the response is not marked done:true/, exit: 1 },
  { name: 'not streamed: body that is not JSON', fault: { kind: 'malformed', ...twoAfterOne }, x: { stream: false }, statuses: [O, F, F, O, O], code: 'E_MALFORMED', message: /the server sent a line that is not JSON/, exit: 1 },
  {
    // A non-streamed answer's first byte comes when generation is done: firstByteTimeoutMs limits it all.
    name: 'not streamed: no response within firstByteTimeoutMs', fault: { kind: 'stall', ...twoAfterOne, stallMs: 8_000 }, x: { stream: false, firstByteTimeoutMs: 1_000 },
    statuses: [O, F, F, O, O], code: 'E_TIMEOUT', message: /no answer byte within 1000 ms of sending \(firstByteTimeoutMs/, failedWallMs: [1_000, 8_000], exit: 1,
  },
  { name: 'lines split across TCP writes (not a fault)', fault: { kind: 'split', ...twoAfterOne }, statuses: [O, O, O, O, O], code: null, injected: 2, exit: 0 },
];

/** Totals over the whole matrix, printed at the end (docs/RELIABILITY.md quotes them). */
const totals = { cases: 0, planned: 0, recorded: 0, failed: 0, injected: 0, metaReads: 0, metaParseFailures: 0 };

describe('fault matrix: chimeraforge run against the fault engine', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let engine: EngineHandle;

  before(async () => {
    ensureCliBuilt();
    engine = await pool.start({ mode: 'fault', paced: PACED });
  });
  after(async () => {
    await pool.stopAll();
    console.log(`      fault matrix totals: ${JSON.stringify({ ...totals, lost: totals.planned - totals.recorded })}`);
  });

  for (const c of CASES) {
    it(`${c.name} → ${c.code ?? 'ok'}, exit ${c.exit}`, async () => {
      const reps = c.reps ?? REPS;
      const planned = reps + (typeof c.x?.warmup === 'number' ? c.x.warmup : 0);
      await engine.configure({ mode: 'fault', fault: c.fault, paced: { ...PACED, ...c.paced } });
      const before = await engine.stats();
      const ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'fault.experiment.json', {
        title: `fault ${c.name}`, kind: 'prompt', model: 'tiny:latest', prompts: ['tell me about faults'], repetitions: reps, warmup: 0,
        // Prompts exactly as written: the paced text derives from the prompt, and the split case compares texts across runs.
        promptCache: 'warm', retry: { attempts: 0 }, ...c.x,
      });
      const trDir = join(ws.reportsDir, 'TR1');
      const watch = watchMeta(join(trDir, 'meta.json'));
      const r = await cli(['run', f, '--endpoint', `default=${engine.url}`, '--json'], ws.dir);
      await watch.stop();
      const injected = (await engine.stats()).faultsInjected - before.faultsInjected;

      assert.equal(r.code, c.exit, r.stderr);
      const { meta, runs, lines } = readTr(trDir);
      // No run lost: every planned run has its line, in order.
      assert.equal(lines, planned);
      assert.deepEqual(runs.map((x) => x.run), Array.from({ length: planned }, (_, i) => runs[0].run + i));
      assert.deepEqual(runs.map((x) => x.status), c.statuses);
      const failed = runs.filter((x) => x.status === 'failed');
      assert.equal(injected, c.injected ?? failed.length, 'faults injected by the engine');
      assert.equal(meta.status, c.exit === 0 ? 'complete' : 'failed');
      assert.deepEqual([meta.counts.planned, meta.counts.completed, meta.counts.failed], [planned, planned, failed.length]);
      const out = JSON.parse(r.stdout) as { status: string; counts: { failed: number } };
      assert.deepEqual([out.status, out.counts.failed], [meta.status, failed.length]);
      for (const run of failed) {
        assert.equal(run.errorCode, c.code, run.error);
        assert.match(run.error ?? '', c.message ?? /./);
        assert.ok(run.error?.endsWith(`— endpoint 'default' (${engine.url}), model 'tiny:latest'`), run.error);
        assert.equal(run.valid, false);
        assert.equal(run.calls[0].error?.code, c.code);
        if (c.failedWallMs) assert.ok(run.wallMs >= c.failedWallMs[0] && run.wallMs < c.failedWallMs[1], `gave up after ${run.wallMs} ms`);
        // The person at the terminal sees which run failed and why.
        assert.match(r.stderr, new RegExp(`run ${run.run + 1 - runs[0].run}/${planned} \\S+${run.warmup ? ' \\(warm-up\\)' : ''}: failed: `));
      }
      if (c.retries) {
        assert.deepEqual(runs.map((x) => x.calls[0].retries), c.retries);
        // Every failed attempt is kept in order (not overwritten by the retry) and counted in the summary and report.
        assert.deepEqual(runs.map((x) => x.calls[0].attempts?.map((a) => a.error?.code)), c.retries.map((n) => (n === undefined ? undefined : Array(n).fill(c.attemptCode))));
        const attempts = c.retries.reduce<number>((s, n) => s + (n ?? 0), 0);
        const retried = c.retries.filter((n) => n !== undefined).length;
        assert.deepEqual(meta.summary.retries, { calls: retried, attempts, byCode: { [c.attemptCode!]: attempts } });
        assert.match(readFileSync(join(ws.reportsDir, 'Technical_Report_1.md'), 'utf8'), new RegExp(`${retried} call\\(s\\) of the measured runs were retried\\*\\* \\(${attempts} failed attempt`));
      } else {
        assert.deepEqual(meta.summary.retries, { calls: 0, attempts: 0, byCode: {} });
      }
      for (const run of runs.filter((x) => x.status === 'ok')) {
        assert.equal(run.valid, true, run.invalidReason);
        assert.equal(run.calls[0].server?.eval_count, c.paced?.tokens ?? TOKENS);
      }

      // meta.json was read continuously while the CLI ran: every read parsed, and the reads saw it running.
      assert.deepEqual(watch.failures, []);
      assert.ok(watch.reads > 0 && watch.parsed === watch.reads, `${watch.parsed}/${watch.reads} reads parsed`);
      assert.deepEqual(watch.statuses, ['running', meta.status]);

      totals.cases++;
      totals.planned += planned;
      totals.recorded += lines;
      totals.failed += failed.length;
      totals.injected += injected;
      totals.metaReads += watch.reads;
      totals.metaParseFailures += watch.failures.length;
      if (c.fault.kind === 'split') assertSplitTextIntact(trDir, runs.map((x) => x.calls[0].outputFile));
    });
  }

  it('the endpoint goes away mid-experiment: refused calls retried (bounded), then failed E_UNREACHABLE; nothing lost', async () => {
    const doomed = await startEngine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 200, tokens: TOKENS } });
    try {
      const ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'gone.experiment.json', {
        title: 'endpoint gone', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 8, warmup: 0, retry: { attempts: 1, delayMs: 20 }, cooldownMs: 100,
      });
      const watch = watchMeta(join(ws.reportsDir, 'TR1', 'meta.json'));
      const p = startCli(['run', f, '--endpoint', `default=${doomed.url}`], ws.dir);
      await waitFor(() => /run 2\/8/.test(p.stderrSoFar()), 60_000, 'run 2 to finish');
      await doomed.stop();
      const r = await p.done;
      await watch.stop();
      assert.equal(r.code, 1, r.stderr);
      const { meta, runs, lines } = readTr(join(ws.reportsDir, 'TR1'));
      assert.equal(lines, 8);
      const firstFailed = runs.findIndex((x) => x.status === 'failed');
      assert.ok(firstFailed >= 2 && firstFailed < 8, `first failure at run ${firstFailed}`);
      for (const x of runs.slice(firstFailed)) {
        assert.equal(x.errorCode, 'E_UNREACHABLE');
        assert.match(x.error ?? '', /ECONNREFUSED/);
        assert.equal(x.calls[0].retries, 1);
      }
      assert.deepEqual([meta.status, meta.counts.failed], ['failed', 8 - firstFailed]);
      assert.deepEqual(watch.failures, []);
    } finally {
      await doomed.stop();
    }
  });
});

/** Split lines are reassembled: every run's saved text is the same full text (same seed and prompt). */
function assertSplitTextIntact(trDir: string, files: (string | undefined)[]): void {
  const texts = files.map((f) => outputText(trDir, f) ?? 'missing-output');
  assert.equal(texts[0].trim().split(/\s+/).length, TOKENS, texts[0]);
  for (const t of texts) assert.equal(t, texts[0]);
}
