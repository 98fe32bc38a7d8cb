// How TR directories read in the results explorer: label, description, context value, icon, tooltip.
import * as assert from 'node:assert/strict';
import type { TrListing } from '../../../src/core/store/list';
import { presentTr, shortDate, strike } from '../../../src/vscode/trItems';

const base: TrListing = {
  id: 'TR7', dir: '/r/TR7', title: 'Agent A/B', kind: 'agent', status: 'complete', createdAt: '2026-11-28T14:03:09.120Z', finishedAt: '2026-11-28T14:09:00.000Z',
  counts: { planned: 12, completed: 10, warmup: 2, failed: 0, invalid: 0 }, supersededBy: null, supersedes: null, imported: false,
};

describe('vscode results explorer: presentTr', () => {
  const cases: { name: string; t: TrListing; label: string; description: string; context: string; icon: string }[] = [
    { name: 'complete', t: base, label: 'TR7  Agent A/B', description: 'agent · complete · 2026-11-28 14:03', context: 'tr.complete', icon: 'pass' },
    { name: 'failed', t: { ...base, status: 'failed' }, label: 'TR7  Agent A/B', description: 'agent · failed · 2026-11-28 14:03', context: 'tr.failed', icon: 'error' },
    { name: 'cancelled', t: { ...base, status: 'cancelled' }, label: 'TR7  Agent A/B', description: 'agent · cancelled · 2026-11-28 14:03', context: 'tr.cancelled', icon: 'circle-slash' },
    { name: 'interrupted', t: { ...base, status: 'interrupted' }, label: 'TR7  Agent A/B', description: 'agent · interrupted · 2026-11-28 14:03', context: 'tr.interrupted', icon: 'warning' },
    { name: 'running', t: { ...base, status: 'running', finishedAt: null }, label: 'TR7  Agent A/B', description: 'agent · running · 2026-11-28 14:03', context: 'tr.running', icon: 'sync~spin' },
    { name: 'imported', t: { ...base, imported: true, kind: 'multi-agent' }, label: 'TR7  Agent A/B', description: 'multi-agent · complete · 2026-11-28 14:03 · imported', context: 'tr.complete', icon: 'pass' },
    {
      name: 'superseded', t: { ...base, supersededBy: 'TR9' }, label: `TR7  ${strike('Agent A/B')}`,
      description: 'superseded by TR9 · agent · complete · 2026-11-28 14:03', context: 'tr.complete.superseded', icon: 'history',
    },
    {
      name: 'corrupt meta.json', t: { ...base, title: '', kind: '', status: 'failed', counts: null, createdAt: null, error: 'meta.json: Unexpected token } in JSON at position 12' },
      label: 'TR7', description: 'unreadable: meta.json: Unexpected token } in JSON at position 12', context: 'tr.corrupt', icon: 'warning',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = presentTr(c.t);
      assert.equal(p.label, c.label);
      assert.equal(p.description, c.description);
      assert.equal(p.contextValue, c.context);
      assert.equal(p.icon, c.icon);
    });
  }

  it('the tooltip gives the counts, the dates and the directory', () => {
    const tip = presentTr({ ...base, supersedes: 'TR3' }).tooltip.join('\n');
    assert.match(tip, /runs: 10 of 12 done · 2 warm-up · 0 failed · 0 invalid/);
    assert.match(tip, /started 2026-11-28 14:03, finished 2026-11-28 14:09 \(UTC\)/);
    assert.match(tip, /supersedes TR3/);
    assert.match(tip, /`\/r\/TR7`/);
  });

  it('meta.json text in the markdown tooltip cannot inject links or command URIs (titles escaped, TR references validated)', () => {
    const evil = '[Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)';
    const tip = presentTr({ ...base, title: `<img src=x> ${evil}`, supersededBy: evil, supersedes: `TR1) ${evil}`, kind: '**agent**' }).tooltip.join('\n');
    assert.doesNotMatch(tip, /(^|[^\\])\]\(command:/, 'no unescaped link');
    assert.ok(!tip.includes('<img'), tip);
    assert.match(tip, /\\\[Open\\\]\(command:/);
    assert.match(tip, /\\\*\\\*agent\\\*\\\* experiment/);
    const corrupt = presentTr({ ...base, error: `bad ${evil}`, dir: '/r/TR`7' }).tooltip.join('\n');
    assert.doesNotMatch(corrupt, /(^|[^\\])\]\(command:/, 'no unescaped link');
    assert.ok(!corrupt.includes('TR`7'), corrupt);
  });

  it('strike() puts a combining stroke after every character, shortDate() keeps date and minute', () => {
    assert.equal(strike('ab'), 'a\u0336b\u0336');
    assert.equal(shortDate('2026-01-02T03:04:05Z'), '2026-01-02 03:04');
    assert.equal(shortDate(null), '');
  });
});
