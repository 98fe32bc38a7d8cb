import assert from 'node:assert/strict';
import { ALL_DEFINITIONS } from '../../../src/core/metrics/allDefinitions';
import { CALL_METRIC_DEFINITIONS, METRIC_DEFINITIONS, SERVER_FIELD_DEFINITIONS, definitionsFor } from '../../../src/core/metrics/definitions';
import { deriveCallMetrics } from '../../../src/core/metrics/callMetrics';
import { serverFieldsOf } from '../../../src/core/ollama/serverFields';

describe('METRIC_DEFINITIONS', () => {
  it('defines every per-call metric deriveCallMetrics produces, and nothing it does not', () => {
    const produced = Object.keys(deriveCallMetrics(null, { sendOffsetMs: 0, headersMs: null, firstTokenMs: null, endMs: 0, chunkMs: [] }));
    assert.deepEqual(Object.keys(CALL_METRIC_DEFINITIONS).sort(), produced.sort());
  });

  it('defines every raw server field the gateway records', () => {
    assert.deepEqual(Object.keys(SERVER_FIELD_DEFINITIONS).sort(), Object.keys(serverFieldsOf({ prompt_eval_cached_count: 3 })).sort());
  });

  const required = [
    'wall_ms', 'files_ingested', 'overlap_efficiency', 'speedup_vs_sequential', 'aggregate_tps', 'jain_fairness', 'slowdown_vs_solo',
    'ttft_inflation', 'start_skew_ms', 'contention_rate', 'startup_ms', 'process_wall_ms', 'peak_rss_mb', 'cpu_ms',
    'decode_tps_weighted', 'decode_tps_call_mean', 'contention', 'stages.analysis', 'stages.report',
  ];
  for (const name of required) {
    it(`defines ${name}`, () => assert.ok((ALL_DEFINITIONS[name] ?? '').length > 30));
  }

  it('states units for every time and rate metric', () => {
    for (const [name, text] of Object.entries(METRIC_DEFINITIONS)) {
      if (name.endsWith('_ms')) assert.match(text, /\(ms/, name);
      if (name.endsWith('_tps')) assert.match(text, /tokens\/s/, name);
    }
  });

  it('prompt_eval_cached_count is kept only when the server sent it (absent = unknown, not 0)', () => {
    assert.equal('prompt_eval_cached_count' in serverFieldsOf({ prompt_eval_count: 9 }), false);
    assert.equal(serverFieldsOf({ prompt_eval_cached_count: 0 }).prompt_eval_cached_count, 0);
  });

  it('queue_ms is labelled an estimate and an upper bound', () => {
    assert.match(METRIC_DEFINITIONS.queue_ms, /^ESTIMATE, an upper bound/);
  });

  it('definitionsFor picks the named ones and refuses unknown names', () => {
    assert.deepEqual(Object.keys(definitionsFor(['ttft_ms', 'decode_tps'])), ['ttft_ms', 'decode_tps']);
    assert.throws(() => definitionsFor(['ttft']), /no definition for metric "ttft"/);
  });
});
