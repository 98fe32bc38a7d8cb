// One key, one definition: every table of definitions that ends up in meta.json `metricDefinitions`,
// summary.definitions or a report's Methodology is checked for keys defined in more than one table.
import assert from 'node:assert/strict';
import { ALL_DEFINITIONS, DEFINITION_TABLES, checkedDefinitions, duplicateDefinitionKeys, recordedDefinitions } from '../../../src/core/metrics/allDefinitions';

describe('definition tables: no key defined twice', () => {
  it('the project\'s tables define each key once (contention_rate, wall_ms and decode_tps_weighted once were in two)', () => {
    assert.deepEqual(duplicateDefinitionKeys(DEFINITION_TABLES), []);
  });

  it('the check fails loudly, naming the key and both tables', () => {
    const tables = { perRun: { a: 'x', rate: 'percent' }, summary: { rate: 'fraction' } };
    assert.deepEqual(duplicateDefinitionKeys(tables), [{ key: 'rate', tables: ['perRun', 'summary'] }]);
    assert.throws(() => checkedDefinitions(tables), /definition key "rate" is defined in more than one table: perRun, summary/);
  });

  it('contention_rate is a fraction (0–1) everywhere: the summary stores a fraction, the report prints it as a percent', () => {
    assert.match(ALL_DEFINITIONS.contention_rate, /a fraction, 0–1/);
    assert.doesNotMatch(ALL_DEFINITIONS.contention_rate, /× 100/);
    assert.equal(recordedDefinitions(100).contention_rate, ALL_DEFINITIONS.contention_rate);
  });

  it('meta.json records the per-call cold threshold of the experiment', () => {
    assert.match(recordedDefinitions(250).cold, /250 ms/);
  });
});
