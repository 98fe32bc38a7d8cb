// The results file's headline rows (value, spread, goal, met) and the markdown summary built from them.
import assert from 'node:assert/strict';
import { HEADLINE_KEYS, headlineFiguresOf, headlineOf, markdownOf, type BenchResults, type Figures } from '../../../bench/lib/results';
import { spreadOf } from '../../../bench/lib/stats';

const figures = (): Figures => ({
  overhead: {
    schedule: { ttftMs: 5, tps: 2000, tokens: 2000 }, streams: 8, tokens_per_rep: 16000,
    cpu_ratio_vs_bare: spreadOf([1.1, 1.3, 1.2]), raw_ratio_at_rep: spreadOf([1.5]), runner_fixed_cpu_ms: 60, bare_fixed_cpu_ms: 10,
    runner_cpu_us_per_token: spreadOf([20]), bare_cpu_us_per_token: spreadOf([17]),
  },
  dashboard: { runs: 10000, figures: 3, points_drawn: 10120, largest_figure_points: 10000, render_10k_ms: spreadOf([120, 140, 100]), includes_settle_ms: 30 },
  bundle_bytes: { extension: 691_311, webview: 230_850, cli: 704_289, dev: { extension: 1_377_980, webview: 511_480, cli: 1_455_964, engine: 65_282 }, extension_top_inputs: [] },
});

describe('bench results: headline rows against the goals', () => {
  const rows = headlineOf(figures());
  const byName = (n: string) => rows.find((r) => r.name === n)!;
  const CASES: [string, number | null, [number, number] | null, boolean | null][] = [
    ['overhead.cpu_ratio_vs_bare', 1.2, [1.1, 1.3], false],
    ['dashboard.render_10k_ms', 120, [100, 140], true],
    ['bundle_bytes.extension (shipped, minified)', 691_311, null, true],
    ['bundle_bytes.webview (shipped, minified)', 230_850, null, null],
    ['throughput.max_tokens_per_s', null, null, null],
    ['skew.p99_ms_n16', null, null, null],
  ];
  for (const [name, value, spread, met] of CASES) {
    it(`${name}: ${value} ${met === null ? '(no goal or not measured)' : met ? 'meets its goal' : 'misses its goal'}`, () => {
      const r = byName(name);
      assert.ok(r, `row ${name}`);
      if (value === null) assert.equal(r.value, null);
      else assert.ok(Math.abs(r.value! - value) < 1e-9, `${r.value}`);
      assert.deepEqual(r.spread, spread);
      assert.equal(r.met, met);
    });
  }
  it('lists every issue figure once', () => {
    const names = rows.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    for (const key of ['fidelity.ttft_abs_err_ms_p99 (1 stream)', 'fidelity.tps_rel_err_p99 (8 streams)', 'activation_ms', 'scale.summary_1m_runs_ms', 'scale.list_1000_trs_ms', 'engine.tokens_per_s (mid)']) {
      assert.ok(names.includes(key), key);
    }
  });
});

describe('bench results: the goal figures under flat keys (headline)', () => {
  it('every key is there; a figure not measured is null with a reason, never 0', () => {
    const h = headlineFiguresOf(figures());
    assert.deepEqual(Object.keys(h).sort(), [...HEADLINE_KEYS].sort());
    assert.equal(h['overhead.cpu_ratio_vs_bare'].value, 1.2);
    assert.equal(h['overhead.cpu_ratio_vs_bare'].met, false);
    assert.equal(h['dashboard.render_10k_ms'].met, true);
    for (const k of ['fidelity.harness_ttft_err_ms_p99_8', 'skew.p99_ms_n16', 'scale.summary_1m_runs_ms', 'loadgen.send_lag_ms_p99_64'] as const) {
      assert.equal(h[k].value, null, k);
      assert.equal(h[k].met, null, k);
      assert.ok(h[k].reason && h[k].reason.length > 10, k);
    }
  });

  it('relative goals are bounded by the floor measured in the same run: skew ≤ 1.5 × the bare fetch loop, harness TTFT share ≤ 0.5 ms', () => {
    const f = figures();
    f.skew = { runs_per_rep: 5, p99_ms: {}, p99_ms_n16: spreadOf([3, 3.2, 3.4]), bare_p99_ms: { '16': spreadOf([2, 2.2, 2.4]) } };
    const h = headlineFiguresOf(f);
    assert.ok(Math.abs(h['skew.p99_ms_n16'].goal!.value - 3.3) < 1e-9);
    assert.equal(h['skew.p99_ms_n16'].met, true);
    assert.equal(h['skew.p99_ms_n16'].beside?.value, 2.2);
    f.skew.p99_ms_n16 = spreadOf([3.5]);
    assert.equal(headlineFiguresOf(f)['skew.p99_ms_n16'].met, false);
  });

  it('loadgen.send_lag_ms_p99_64 is the load generator beside the bare fetch loop at 64 in flight (≤ 1.5 × it)', () => {
    const f = figures();
    const s = (v: number) => spreadOf([v]);
    f.loadgen = { seconds_per_rep: 1, send_lag_ms_p99_16: s(1), send_lag_ms_p99_64: s(0.8), send_lag_ms_p99_rate200: s(1), bare_send_lag_ms_p99_16: s(1), bare_send_lag_ms_p99_64: s(0.6), bare_send_lag_ms_p99_rate200: s(1), achieved_rps_rate200: s(200) };
    const h = headlineFiguresOf(f)['loadgen.send_lag_ms_p99_64'];
    assert.equal(h.value, 0.8);
    assert.equal(h.beside?.value, 0.6);
    assert.ok(Math.abs(h.goal!.value - 0.9) < 1e-9);
    assert.equal(h.met, true);
    f.loadgen.send_lag_ms_p99_64 = s(1);
    assert.equal(headlineFiguresOf(f)['loadgen.send_lag_ms_p99_64'].met, false);
  });
});

describe('bench results: markdown summary', () => {
  const results: BenchResults = {
    schema: 2, command: 'npm run bench', startedAt: '2026-11-28T18:00:00.000Z', finishedAt: '2026-11-28T18:04:00.000Z', durationS: 240, quick: false,
    machine: { cpuModel: 'AMD EPYC', cores: 2, memoryBytes: 24 * 2 ** 30, freeMemoryBytesAtStart: 1, node: 'v20.20.2', os: 'linux', hostname: 'h', loadAvgStart: [5.5, 6, 7], loadAvgEnd: [4, 5, 6] },
    headline: headlineFiguresOf(figures()), table: headlineOf(figures()), figures: figures(), errors: { activation: 'code-server is not installed' }, notes: ['shared machine'],
  };
  const md = markdownOf(results);
  const LINES = [
    '# Chimeraforge benchmarks — 2026-11-28',
    '| overhead.cpu_ratio_vs_bare | 1.200 × | [1.100 – 1.300] | ≤ 1.100 | **no** |',
    '| `overhead.cpu_ratio_vs_bare` | 1.200 × |  | ≤ 1.100 | **no** |',
    '| `loadgen.send_lag_ms_p99_64` | — (figure loadgen was not measured in this run (see errors)) | bare fetch loop, 64 in flight: — |  |  |',
    '| dashboard.render_10k_ms | 120.0 ms | [100.0 – 140.0] | ≤ 250.0 | yes |',
    '| bundle_bytes.extension (shipped, minified) | 691,311 |  | ≤ 1,000,000 | yes |',
    '| throughput.max_tokens_per_s | — tok/s |  | ≥ 100,000 |  |',
    '- activation: code-server is not installed',
    '- shared machine',
  ];
  for (const l of LINES) it(`holds "${l}"`, () => assert.ok(md.split('\n').includes(l), md));
  it('states the machine and its load at start and end', () => {
    assert.match(md, /AMD EPYC, 2 cores, 24 GiB, Node v20\.20\.2, linux; load average 5\.5 \/ 6 \/ 7 at start, 4 \/ 5 \/ 6 at the end\./);
  });
});
