// A big TR opens in the dashboard: the host streams runs.jsonl (never reads it whole), so its memory
// stays well under the file's size (a heap limit a whole-file read cannot fit under), and the one
// message the webview gets is bounded however many runs. The fixture (200,000 runs, ~180 MB) is
// generated at test time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TrViewData } from '../../../src/shared/protocol';
import { makeBigTr } from '../../helpers/bigTr';
import { makeWorkspace } from '../../helpers/workspace';

const RUNS = 200_000;
// About a third of the file: reading runs.jsonl whole (one string, then every record) cannot fit under it.
const HEAP_LIMIT_MB = 64;

describe('webview: a 200,000-run TR opens in the dashboard (streamed, bounded)', function () {
  this.timeout(240_000);
  const ws = makeWorkspace(false);
  let tr: { id: string; bytes: number };

  before(() => {
    tr = makeBigTr(ws.reportsDir, RUNS);
  });
  after(() => rmSync(ws.dir, { recursive: true, force: true }));

  it(`shows the summary of every run under a ${HEAP_LIMIT_MB} MB heap limit (the file is ~3× that), in one bounded message`, () => {
    assert.ok(tr.bytes > 2.5 * HEAP_LIMIT_MB * 2 ** 20, `fixture of ${tr.bytes} bytes`);
    const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', join(__dirname, '..', '..', 'helpers', 'trViewProcess.ts'), ws.reportsDir, tr.id], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    assert.equal(child.status, 0, `the view did not open: ${child.stderr.slice(-2000)}`);
    const { view, messageBytes } = JSON.parse(child.stdout) as { view: TrViewData; messageBytes: number };
    assert.equal(view.validity.runs, RUNS);
    assert.equal(view.validity.counted, RUNS);
    assert.deepEqual(view.variants.map((v) => [v.name, v.n]), [['A', RUNS / 2], ['B', RUNS / 2]]);
    // A: tps 100 + (i % 7) over even i: each residue equally often (±1 run) → mean ≈ 103
    assert.ok(Math.abs(view.variants[0].decodeTps!.mean - 103) < 0.01, String(view.variants[0].decodeTps!.mean));
    assert.ok(view.comparisons.length >= 1, 'A vs B compared');
    assert.ok(view.figures.length >= 2, `figures: ${view.figures.length}`);
    assert.ok(messageBytes < 2_000_000, `the view's message is ${messageBytes} bytes`);
    // The runs alternate A, B: the figures' bounded sample must still hold both (sampled per variant).
    const scatter = view.figures.find((f) => f.id === 'ttft_vs_tps');
    assert.ok(scatter && scatter.kind === 'chart', 'per-call scatter');
    const series = (scatter.config.data as { datasets: { label: string; data: unknown[] }[] }).datasets;
    assert.deepEqual(series.map((d) => d.label.split(' (')[0]), ['A', 'B']);
    assert.ok(series.every((d) => d.data.length > 500), series.map((d) => d.data.length).join(', '));
  });
});
