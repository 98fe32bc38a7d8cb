import assert from 'node:assert/strict';
import { causeCode, classifyFailure, responseStatus, type FailureFacts } from '../../../src/core/ollama/classify';
import type { ErrorCode } from '../../../src/core/errors';

function facts(p: Partial<FailureFacts>): FailureFacts {
  return {
    abortKind: null, timeoutMs: 5000, status: 200, httpMessage: null, fetchFailed: false, bodyError: false, bodyEnded: false,
    errorLine: false, malformed: false, sawDone: false, messages: 0, lines: 0, ...p,
  };
}
/** undici's shape: TypeError('fetch failed') caused by a socket error carrying a code. */
function netError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code }) });
}
/** ollama-js' ResponseError (not exported): name + status_code. */
function responseError(status: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'ResponseError', error: message, status_code: status });
}
const abortError = (): Error => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });

describe('classifyFailure (never by message text)', () => {
  const table: { name: string; e: unknown; f: Partial<FailureFacts>; code: ErrorCode; detail?: RegExp }[] = [
    { name: 'our timeout abort before headers', e: abortError(), f: { abortKind: 'timeout', status: null, fetchFailed: true }, code: 'E_TIMEOUT', detail: /no response: nothing received for 5000 ms/ },
    { name: 'our timeout abort mid-stream (stall)', e: abortError(), f: { abortKind: 'timeout', bodyError: true }, code: 'E_TIMEOUT', detail: /stream stalled/ },
    { name: 'caller cancel', e: abortError(), f: { abortKind: 'cancel', bodyError: true }, code: 'E_ABORTED' },
    { name: 'client.abort() of ollama-js (AbortError, no reason of ours)', e: abortError(), f: { bodyError: true }, code: 'E_ABORTED' },
    { name: '404 model not found', e: responseError(404, "model 'nope' not found"), f: { status: 404, httpMessage: "model 'nope' not found" }, code: 'E_MODEL_NOT_FOUND', detail: /HTTP 404: model 'nope' not found/ },
    { name: '503 busy', e: responseError(503, 'server busy'), f: { status: 503, httpMessage: 'server busy, please try again.  maximum pending requests exceeded' }, code: 'E_BUSY', detail: /maximum pending/ },
    { name: '500 with the server message', e: responseError(500, 'x'), f: { status: 500, httpMessage: 'runner crashed' }, code: 'E_SERVER', detail: /HTTP 500: runner crashed/ },
    { name: '400 is a server error too', e: responseError(400, 'bad'), f: { status: 400, httpMessage: 'model is required' }, code: 'E_SERVER', detail: /HTTP 400/ },
    { name: 'ResponseError status without wire facts', e: responseError(503, 'busy'), f: { status: null }, code: 'E_BUSY' },
    { name: 'a message saying "not found" on a 200 is not E_MODEL_NOT_FOUND', e: new Error("model 'x' not found"), f: { errorLine: true }, code: 'E_MIDSTREAM', detail: /model 'x' not found/ },
    { name: 'mid-stream error line', e: new Error('boom'), f: { errorLine: true, lines: 3, messages: 2 }, code: 'E_MIDSTREAM', detail: /boom/ },
    { name: 'malformed line seen by the scanner', e: new Error('x'), f: { malformed: true, bodyError: true }, code: 'E_MALFORMED' },
    { name: 'non-stream JSON parse failure', e: new SyntaxError('Unexpected token'), f: { bodyEnded: true }, code: 'E_MALFORMED' },
    { name: 'connection refused', e: netError('ECONNREFUSED'), f: { status: null, fetchFailed: true }, code: 'E_UNREACHABLE', detail: /ECONNREFUSED/ },
    { name: 'DNS failure', e: netError('ENOTFOUND'), f: { status: null, fetchFailed: true }, code: 'E_UNREACHABLE', detail: /ENOTFOUND/ },
    { name: 'reset before any response', e: netError('ECONNRESET'), f: { status: null, fetchFailed: true }, code: 'E_UNREACHABLE' },
    { name: 'reset mid-response', e: new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), f: { bodyError: true, messages: 3, lines: 3 }, code: 'E_RESET', detail: /UND_ERR_SOCKET/ },
    { name: 'clean end without done', e: new Error('Did not receive done or success response in stream.'), f: { bodyEnded: true, messages: 4, lines: 4 }, code: 'E_NO_DONE' },
    { name: 'clean end with a line the parser skipped', e: new Error('whatever'), f: { bodyEnded: true, messages: 3, lines: 4 }, code: 'E_MALFORMED' },
    { name: 'skipped line detected after done (no exception)', e: undefined, f: { sawDone: true, messages: 5, lines: 6 }, code: 'E_MALFORMED' },
    { name: 'an unknown programmer error before sending', e: new RangeError('bad'), f: { status: null }, code: 'E_INTERNAL' },
  ];
  for (const t of table) {
    it(`${t.name} → ${t.code}`, () => {
      const c = classifyFailure(t.e, facts(t.f));
      assert.equal(c.code, t.code);
      if (t.detail) assert.match(c.detail, t.detail);
    });
  }

  it('HTTP answers carry their status', () => {
    assert.equal(classifyFailure(undefined, facts({ status: 503, httpMessage: 'busy' })).status, 503);
  });

  it('causeCode walks the cause chain; responseStatus needs the ResponseError name', () => {
    assert.equal(causeCode(new TypeError('fetch failed', { cause: new Error('x', { cause: Object.assign(new Error('y'), { code: 'EAI_AGAIN' }) }) })), 'EAI_AGAIN');
    assert.equal(causeCode(new Error('plain')), null);
    assert.equal(responseStatus(responseError(404, 'x')), 404);
    assert.equal(responseStatus(Object.assign(new Error('x'), { status_code: 404 })), null);
  });
});
