// What a dashboard revived after a reload shows: the saved descriptor, checked (it comes from the
// webview); a live view whose run is gone becomes that run's TR from disk.
import assert from 'node:assert/strict';
import { reviveDescriptor, viewTitle } from '../../../src/vscode/dashboard/descriptor';

describe('webview: revive descriptor', () => {
  const table: { name: string; saved: unknown; live: string | null; expect: unknown }[] = [
    { name: 'nothing saved → live', saved: undefined, live: null, expect: { kind: 'live' } },
    { name: 'garbage → live', saved: 'TR1', live: null, expect: { kind: 'live' } },
    { name: 'a TR view stays', saved: { kind: 'tr', trId: 'TR4', reportsDir: '/w/reports' }, live: null, expect: { kind: 'tr', trId: 'TR4', reportsDir: '/w/reports' } },
    { name: 'a TR view without its folder → live', saved: { kind: 'tr', trId: 'TR4' }, live: null, expect: { kind: 'live' } },
    { name: 'a comparison stays (extra fields dropped)', saved: { kind: 'compare', a: { trId: 'TR1', variant: 'A' }, b: { trId: 'TR2' }, metric: 'ttft_ms', evil: '<x>' }, live: null, expect: { kind: 'compare', a: { trId: 'TR1', variant: 'A' }, b: { trId: 'TR2' }, metric: 'ttft_ms' } },
    { name: 'a baseline comparison keeps its margin', saved: { kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2' }, gate: { maxRegressionPct: 5, x: 1 } }, live: null, expect: { kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2' }, gate: { maxRegressionPct: 5 } } },
    { name: 'a malformed gate is dropped', saved: { kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2' }, gate: { maxRegressionPct: '5' } }, live: null, expect: { kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2' } } },
    { name: 'a comparison with a bad group → live', saved: { kind: 'compare', a: { trId: 1 }, b: { trId: 'TR2' } }, live: null, expect: { kind: 'live' } },
    { name: 'a live run that is gone → its TR', saved: { kind: 'live', trId: 'TR9', trDir: '/w/reports/TR9' }, live: null, expect: { kind: 'tr', trId: 'TR9', reportsDir: '/w/reports' } },
    { name: 'a live run still going → live', saved: { kind: 'live', trId: 'TR9', trDir: '/w/reports/TR9' }, live: 'TR9', expect: { kind: 'live' } },
    { name: 'a live view before any run → live', saved: { kind: 'live' }, live: null, expect: { kind: 'live' } },
  ];
  for (const c of table) {
    it(c.name, () => assert.deepEqual(reviveDescriptor(c.saved, c.live), c.expect));
  }

  it('tab titles name what is shown', () => {
    assert.equal(viewTitle({ kind: 'live' }), 'Chimeraforge: live run');
    assert.equal(viewTitle({ kind: 'live', trId: 'TR3' }), 'Chimeraforge: TR3 (live)');
    assert.equal(viewTitle({ kind: 'tr', trId: 'TR3', reportsDir: '/r' }), 'Chimeraforge: TR3');
    assert.equal(viewTitle({ kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2', variant: 'x' } }), 'Chimeraforge: TR1 vs TR2');
    assert.equal(viewTitle({ kind: 'compare', a: { trId: 'TR1' }, b: { trId: 'TR2' }, gate: { maxRegressionPct: 5 } }), 'Chimeraforge: TR2 vs baseline TR1');
  });
});
