import assert from 'node:assert/strict';
import { validateEndpointUrl } from '../../../src/core/ollama/url';
import { isChimeraError } from '../../../src/core/errors';

describe('validateEndpointUrl', () => {
  const ok: [string, string][] = [
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434'],
    ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
    ['  https://gpu-box.local:8443/ollama/ ', 'https://gpu-box.local:8443/ollama'],
    ['http://localhost', 'http://localhost'],
    ['127.0.0.1:11435', 'http://127.0.0.1:11435'],
    ['gpu-box', 'http://gpu-box:11434'],
    ['gpu-box:80', 'http://gpu-box:80'],
    [':11435', 'http://127.0.0.1:11435'],
    ['http://[::1]:11434', 'http://[::1]:11434'],
  ];
  for (const [input, expected] of ok) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(validateEndpointUrl('default', input), expected));

  const bad = ['http://127.0.0.1:6000', 'gpu-box:6666', 'ftp://127.0.0.1:11434', 'file:///tmp/x', 'ws://127.0.0.1:11434', 'http://', 'http://user:pw@host:1', 'http://h:1/?q=1', 'http://exa mple:1'];
  for (const input of bad) {
    it(`${JSON.stringify(input)} → E_BAD_INPUT naming the endpoint`, () => {
      assert.throws(() => validateEndpointUrl('b', input), (e: unknown) => isChimeraError(e, 'E_BAD_INPUT') && e.message.includes("endpoint 'b'") && e.where === 'endpoint b');
    });
  }
});
