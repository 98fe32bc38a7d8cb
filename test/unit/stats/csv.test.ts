import assert from 'node:assert/strict';
import { buildSummary } from '../../../src/core/stats/accumulator.js';
import { summaryCsv } from '../../../src/core/stats/csv.js';
import { makeAgent, makeRun } from './fixtures.js';

/** A minimal RFC 4180 reader for the assertions (quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n')) {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

function table(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('stats/csv', () => {
  it('one row per variant then its stages; values equal the summary; excluded counts on variant rows', () => {
    const runs = [
      makeRun({ run: 0, variant: 'base', warmup: true, calls: [{ stage: 'analysis', tps: 1 }] }),
      makeRun({ run: 1, variant: 'base', wallMs: 1000, calls: [{ stage: 'analysis', tps: 100 }, { stage: 'report', tps: 90 }] }),
      makeRun({ run: 2, variant: 'base', wallMs: 1100, calls: [{ stage: 'analysis', tps: 102 }, { stage: 'report', tps: 92 }] }),
      makeRun({ run: 3, variant: 'fast, "tuned"', wallMs: 900, calls: [{ stage: 'analysis', tps: 120 }, { stage: 'report', tps: 110 }] }),
    ];
    const summary = buildSummary(runs, { kind: 'agent', variants: [{ name: 'base', options: {} }, { name: 'fast, "tuned"', options: {} }] });
    const text = summaryCsv(summary);
    const rows = table(text);
    assert.deepEqual(rows.map((r) => [r.row_type, r.variant, r.stage]), [
      ['variant', 'base', ''], ['stage', 'base', 'analysis'], ['stage', 'base', 'report'],
      ['variant', 'fast, "tuned"', ''], ['stage', 'fast, "tuned"', 'analysis'], ['stage', 'fast, "tuned"', 'report'],
    ]);
    assert.match(text, /"fast, ""tuned"""/, 'a name with a comma and quotes is quoted and escaped');
    const base = rows[0];
    assert.equal(base.n, '2');
    assert.equal(base.excluded_warmup, '1');
    assert.equal(base.excluded_invalid, '0');
    assert.equal(Number(base.decode_tps_mean), 96);
    assert.equal(Number(base.wall_ms_mean), 1050);
    assert.equal(Number(base.wall_ms_sd), Math.sqrt(5000));
    assert.equal(Number(rows[1].decode_tps_mean), 101);
    assert.equal(rows[1].excluded_warmup, '', 'stage rows carry no exclusion counts');
    // n = 1: sd, CV and the CI are undefined → empty cells, never 0
    const fast = rows[3];
    assert.equal(fast.n, '1');
    assert.equal(fast.wall_ms_sd, '');
    assert.equal(fast.wall_ms_ci95_lo, '');
    assert.equal(fast.wall_ms_mean, '900');
  });

  it('header: fixed columns, then 11 statistics per metric present, in the documented order', () => {
    const summary = buildSummary([makeRun({ run: 0, variant: 'v', wallMs: 5, calls: [{ tps: 10 }] })], { kind: 'prompt', variants: [{ name: 'v', options: {} }] });
    const [header] = parseCsv(summaryCsv(summary));
    assert.deepEqual(header.slice(0, 12), [
      'row_type', 'variant', 'scenario', 'agent', 'stage', 'n',
      'excluded_warmup', 'excluded_failed', 'excluded_cancelled', 'excluded_invalid', 'decode_tps_weighted', 'decode_tps_call_mean',
    ]);
    assert.deepEqual(header.slice(12, 23), ['n', 'mean', 'sd', 'cv', 'median', 'min', 'max', 'p95', 'iqr', 'ci95_lo', 'ci95_hi'].map((f) => `decode_tps_${f}`));
    const metrics = [...new Set(header.slice(12).map((h) => h.replace(/_(n|mean|sd|cv|median|min|max|p95|iqr|ci95_lo|ci95_hi)$/, '')))];
    assert.deepEqual(metrics, ['decode_tps', 'ttft_ms', 'server_ttft_ms', 'e2e_ms', 'client_decode_tps', 'tpot_ms', 'load_ms', 'prompt_eval_ms', 'ttft_answer_ms', 'server_residual_ms', 'wall_ms']);
  });

  it('multi-agent: agent and solo rows follow their variant', () => {
    const runs = [0, 1].map((i) => makeRun({
      run: i, variant: 'pair', wallMs: 2000,
      agents: [makeAgent('collector', 1900, [{ tps: 42 }]), makeAgent('insight', 1950, [{ tps: 41 }])],
      multiAgent: { overlap_efficiency: 97, speedup_vs_sequential: 1.2 },
    }));
    runs.push(makeRun({ run: 5, variant: 'pair', soloAgent: 'insight', wallMs: 1000, calls: [{ tps: 115 }] }));
    const rows = table(summaryCsv(buildSummary(runs, { kind: 'multi-agent', variants: [{ name: 'pair', options: {} }] })));
    assert.deepEqual(rows.map((r) => [r.row_type, r.agent]), [['variant', ''], ['agent', 'collector'], ['agent', 'insight'], ['solo', 'insight']]);
    assert.equal(Number(rows[0].speedup_vs_sequential_mean), 1.2);
    assert.equal(Number(rows[1].wall_ms_mean), 1900);
    assert.equal(Number(rows[3].decode_tps_mean), 115);
    assert.equal(rows[1].speedup_vs_sequential_mean, '');
  });
});
