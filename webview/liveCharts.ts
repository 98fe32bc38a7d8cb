// Chart.js configurations of the live view, built from the live state: decode rate per call over
// time, TTFT per call over time, the multi-agent timeline of the latest runs, the CI narrowing of
// adaptive repetitions, and a capacity sweep's levels so far.
import { seriesOf, seriesOrder, type LiveCapacityRun, type LivePoint, type LiveState } from '../src/shared/liveState';

type Obj = Record<string, unknown>;
export const TIMELINE_RUNS = 8;

function axes(x: string, y: string, xExtra: Obj = {}, yExtra: Obj = {}): Obj {
  return {
    x: { type: 'linear', title: { display: true, text: x, font: { weight: 'bold' } }, ...xExtra },
    y: { title: { display: true, text: y, font: { weight: 'bold' } }, beginAtZero: true, ...yExtra },
  };
}

function titled(title: string, subtitle: string): Obj {
  return { title: { display: true, text: title, font: { size: 14, weight: 'bold' } }, subtitle: { display: true, text: subtitle }, legend: { display: true, position: 'bottom' } };
}

function sorted(points: LivePoint[]): { x: number; y: number }[] {
  return points.map((p) => ({ x: p.x, y: p.y })).sort((a, b) => a.x - b.x);
}

function datasets(s: LiveState, rec: Record<string, LivePoint[]>, extra: Record<string, unknown>): Obj[] {
  return seriesOrder(s).map((n, i) => ({ n, i })).filter(({ n }) => rec[n]?.length).map(({ n, i }) => ({ label: n, data: sorted(rec[n]), colorIndex: i, ...extra }));
}

export function tokensConfig(s: LiveState): Obj {
  return {
    type: 'line',
    data: { datasets: datasets(s, s.tokens, { borderWidth: 2, pointRadius: 2.5, tension: 0, parsing: false, normalized: true }) },
    options: {
      scales: axes('time since the experiment started (s)', 'decode rate (tok/s)'),
      plugins: { ...titled('Live decode throughput', 'Per call, client side: tokens after the first ÷ time since it (moves while streaming)'), decimation: { enabled: true, algorithm: 'lttb', samples: 400 } },
    },
  };
}

export function ttftConfig(s: LiveState): Obj {
  return {
    type: 'scatter',
    data: { datasets: datasets(s, s.ttft, { pointRadius: 3.5 }) },
    options: {
      scales: axes('time of the first token since the experiment started (s)', 'time to first token (ms, client)'),
      plugins: titled('Time to first token per call', 'Client side: request sent → first generated token'),
    },
  };
}

/** Horizontal bars [start, end] per agent for the latest multi-agent runs; null before any. */
export function timelineConfig(s: LiveState): Obj | null {
  const runs = s.runs.filter((r) => r.agents && r.agents.length > 0 && !r.soloAgent).slice(-TIMELINE_RUNS);
  if (runs.length === 0) return null;
  const order = seriesOrder(s);
  const agents = [...new Set(runs.flatMap((r) => r.agents!.map((a) => a.name)))];
  const colorOf = (agent: string): number => Math.max(0, order.indexOf(seriesOf(s, runs[0].variant, agent)));
  const labels = runs.flatMap((r) => r.agents!.map((a) => `run ${r.run}${r.warmup ? ' (warm-up)' : ''} · ${a.name}`));
  return {
    type: 'bar',
    data: {
      labels,
      datasets: agents.map((name) => ({
        label: name, colorIndex: colorOf(name), grouped: false, borderWidth: 1, barPercentage: 0.8, categoryPercentage: 0.9,
        data: runs.flatMap((r) => r.agents!.map((a) => (a.name === name ? [a.startOffsetMs, a.startOffsetMs + a.wallMs] : null))),
      })),
    },
    options: {
      indexAxis: 'y',
      scales: { x: { title: { display: true, text: 'time since the run started (ms)', font: { weight: 'bold' } }, beginAtZero: true }, y: { title: { display: true, text: 'run · agent', font: { weight: 'bold' } } } },
      plugins: titled('Multi-agent timeline (latest runs)', 'One bar per agent: its start → end within a concurrent run'),
    },
  };
}

/** Adaptive repetitions: each variant's CI half-width at each check against the target; null before the first check. */
export function adaptiveConfig(s: LiveState): Obj | null {
  const a = s.adaptive;
  if (!a) return null;
  const order = seriesOrder(s);
  const xs = Object.values(a.points).flat().map((p) => p.x);
  const span = [Math.min(...xs), Math.max(...xs)];
  return {
    type: 'line',
    data: {
      datasets: [
        ...Object.entries(a.points).map(([name, pts]) => ({ label: name, data: pts, colorIndex: Math.max(0, order.indexOf(name)), borderWidth: 2, pointRadius: 3, spanGaps: false })),
        { label: `target ±${a.targetPct}%`, data: span.map((x) => ({ x, y: a.targetPct })), borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, colorIndex: order.length },
      ],
    },
    options: {
      scales: axes('repetitions per variant', `95% CI half-width of ${a.metric} (% of mean)`, { ticks: { precision: 0 } }),
      plugins: titled('Adaptive repetitions: CI narrowing', `${a.decision === 'stop' ? 'Stopped' : 'Running'}: ${a.reason}`),
    },
  };
}

/**
 * capacity: each run's latest progress by level — achieved start rate (left axis, solid) and p95 TTFT
 * so far (right axis, dashed), one colour per variant; null before the first capacity-progress event.
 */
export function capacityLiveConfig(s: LiveState): Obj | null {
  const c = s.capacity;
  if (!c || c.runs.length === 0) return null;
  const order = seriesOrder(s);
  const variants = [...new Set(c.runs.map((r) => r.variant))];
  const unit = c.mode === 'rate' ? 'arrivals asked (requests/s)' : 'requests kept in flight';
  const points = (v: string, y: (r: LiveCapacityRun) => number | null): { x: number; y: number }[] =>
    c.runs.filter((r) => r.variant === v && !r.warmup && y(r) !== null).map((r) => ({ x: r.level, y: y(r)! })).sort((a, b) => a.x - b.x);
  return {
    type: 'scatter',
    data: {
      datasets: variants.flatMap((v) => {
        const colorIndex = Math.max(0, order.indexOf(v));
        return [
          { label: `${v}: achieved req/s`, data: points(v, (r) => r.achievedRps), colorIndex, yAxisID: 'y', showLine: true, borderWidth: 2, pointRadius: 4 },
          { label: `${v}: p95 TTFT so far (ms)`, data: points(v, (r) => r.ttftP95Ms), colorIndex, yAxisID: 'y1', showLine: true, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 3, pointStyle: 'rect' },
        ];
      }),
    },
    options: {
      scales: {
        ...axes(`load level: ${unit}`, 'achieved start rate (requests/s)', { ticks: { precision: 0 } }),
        y1: { position: 'right', beginAtZero: true, title: { display: true, text: 'p95 TTFT so far (ms, client)', font: { weight: 'bold' } }, grid: { drawOnChartArea: false } },
      },
      plugins: titled('Capacity sweep so far', 'Each run (level × repetition) after its warm-up: requests started ÷ seconds measured, and p95 TTFT of the requests ended so far'),
    },
  };
}
