import assert from 'node:assert/strict';
import schema from '../../../schema/experiment.schema.json';
import { GO_DURATION_PATTERN, goDurationMs, keepAliveMs, parseGoDuration } from '../../../src/core/ollama/duration';

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
    assert.equal(keepAliveMs(1.9), 1000, "Go's api.Duration takes int(seconds)");
    assert.equal(keepAliveMs(-0.5), Number.POSITIVE_INFINITY);
  });

  it("gives Go's error texts (the engine answers them as HTTP 400)", () => {
    assert.deepEqual(parseGoDuration('300'), { error: 'time: missing unit in duration "300"' });
    assert.deepEqual(parseGoDuration('10x'), { error: 'time: unknown unit "x" in duration "10x"' });
    assert.deepEqual(parseGoDuration('soon'), { error: 'time: invalid duration "soon"' });
  });

  it('the schema pattern accepts exactly what the parser accepts', () => {
    const re = new RegExp(GO_DURATION_PATTERN);
    for (const s of ['5m', '1h30m', '1.5s', '.5h', '1.s', '-1s', '+5m', '0', '-0', '250ms', '3µs', '300', '5', 'm', '5 m', '10M', '1h2', '', '1d', '.s', '+', '-']) {
      assert.equal(re.test(s), goDurationMs(s) !== null, s);
    }
  });

  it('the schema checks keepAlive with the same pattern', () => {
    const ka = (schema.properties as Record<string, { anyOf?: { pattern?: string }[] }>).keepAlive;
    assert.equal(ka.anyOf?.find((s) => s.pattern)?.pattern, GO_DURATION_PATTERN);
  });
});
