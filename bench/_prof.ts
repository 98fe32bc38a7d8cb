import { startEngine } from '../engine/api';
import { runnerStreams } from './lib/paced';
async function main() {
const e = await startEngine({ mode: 'paced', parallel: 16 });
try {
  const s = { ttftMs: 2, tps: 1000, tokens: 4 };
  await runnerStreams(e.url, 16, 3, s);
  const r = await runnerStreams(e.url, 16, 30, s);
  const sk = r.runs.map((x) => x.multiAgent!.start_skew_ms).sort((a, b) => a - b);
  console.log('skews', sk.map((x) => x.toFixed(2)).join(' '));
  const run = r.runs[5];
  console.log(run.agents!.map((a) => `${a.startOffsetMs.toFixed(2)}/${a.calls[0].client.sendOffsetMs.toFixed(2)}`).join(' '));
} finally { await e.stop(); }
}
void main();
