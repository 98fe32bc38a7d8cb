import assert from 'node:assert/strict';
import schema from '../../../schema/experiment.schema.json';
import { GO_DURATION_PATTERN, goDurationMs, keepAliveMs } from '../../../src/core/ollama/duration';

describe('Go durations (keep_alive)', () => {
  it('parses what time.ParseDuration accepts', () => {
    assert.equal(goDurationMs('5m'), 300_000);
    assert.equal(goDurationMs('1h30m'), 5_400_000);
    assert.equal(goDurationMs('1.5s'), 1500);
    assert.equal(goDurationMs('.5h'), 1_800_000);
    assert.equal(goDurationMs('-1s'), -1000);
    assert.equal(goDurationMs('250ms'), 250);
    assert.equal(goDurationMs('0'), 0);
  });

  it('refuses what time.ParseDuration refuses', () => {
    for (const s of ['300', '5', 'm', '5 m', '10M', '1h2', '', '1d']) assert.equal(goDurationMs(s), null, s);
  });

  it('keep_alive: a number is seconds, negative is forever, 0 unloads at once', () => {
    assert.equal(keepAliveMs(300), 300_000);
    assert.equal(keepAliveMs(-1), Number.POSITIVE_INFINITY);
    assert.equal(keepAliveMs('-5m'), Number.POSITIVE_INFINITY);
    assert.equal(keepAliveMs(0), 0);
    assert.equal(keepAliveMs('300'), null);
  });

  it('the schema checks keepAlive with the same pattern', () => {
    const ka = (schema.properties as Record<string, { anyOf?: { pattern?: string }[] }>).keepAlive;
    assert.equal(ka.anyOf?.find((s) => s.pattern)?.pattern, GO_DURATION_PATTERN);
  });
});
