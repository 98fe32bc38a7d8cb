// The live-event pipeline as the dashboard runs it, minus VS Code: runner events are stamped and batched
// (≤ 10 posts per second) by the host's LiveStamper/LiveBatcher, and every batch is serialised the way
// postMessage would. Used as runExperiment's onEvent so the benchmark pays what a watched run pays.
import type { RunnerEvent } from '../../src/core/runner/events';
import { LiveBatcher, LiveStamper } from '../../src/vscode/dashboard/batcher';

export interface DashboardSink {
  onEvent(e: RunnerEvent): void;
  dispose(): void;
  readonly posts: number;
  readonly bytes: number;
}

export function dashboardSink(): DashboardSink {
  const stamper = new LiveStamper();
  let bytes = 0;
  const batcher = new LiveBatcher((events) => {
    bytes += JSON.stringify({ type: 'live-batch', events }).length;
  });
  return {
    onEvent: (e) => batcher.push(stamper.stamp(e)),
    dispose: () => batcher.dispose(),
    get posts() { return batcher.postCount; },
    get bytes() { return bytes; },
  };
}
