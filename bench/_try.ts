import { startEngine } from '../engine/api';
import { runnerStreams, bareStreams } from './lib/paced';
import { dashboardSink } from './lib/dashboardSink';
async function main() {
const e = await startEngine({ mode: 'paced', parallel: 16 });
try {
  const tiny = { ttftMs: 1, tps: 1000, tokens: 1 };
  await runnerStreams(e.url, 8, 1, tiny);
  for (let k = 0; k < 3; k++) { const r = await runnerStreams(e.url, 8, 1, tiny); const b = await bareStreams(e.url, 8, 1, tiny); console.log('fixed cpu ms runner', (r.cpuUs/1000).toFixed(1), 'bare', (b.cpuUs/1000).toFixed(1)); }
  for (const [tps, tokens, runs] of [[2000, 4000, 1], [8000, 8000, 1], [16000, 16000, 1]]) {
    const s = { ttftMs: 5, tps, tokens };
    for (let k = 0; k < 2; k++) {
      const sink = dashboardSink();
      const r = await runnerStreams(e.url, 8, runs, s, sink.onEvent); sink.dispose();
      const b = await bareStreams(e.url, 8, runs, s);
      const tok = 8*runs*tokens;
      console.log(tps, 'runner us/tok', (r.cpuUs/tok).toFixed(2), 'bare us/tok', (b.cpuUs/tok).toFixed(2), 'ratio', (r.cpuUs/b.cpuUs).toFixed(3));
    }
  }
} finally { await e.stop(); }
}
void main();
