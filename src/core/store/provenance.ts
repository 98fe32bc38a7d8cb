// What differs between the two sides of a comparison besides what is being compared (PRODUCT.md §11.3
// `comparisons[].provenance`): model digest, server version, GPU, host, experiment settings and options,
// git state. Differences in model digest, server version or GPU make a comparison apples-to-oranges
// (`blocking`: the gate refuses them unless --allow-mismatch); the others are listed for the reader.
import type { Environment, Meta } from '../types';

export interface ProvenanceDifference {
  /** Dotted name: model, model.digest, server.version, gpu, host.hostname, options.num_ctx, experiment.maxTokens, git.commit… */
  field: string;
  /** The value on each side as text; null = not recorded on that side. */
  a: string | null;
  b: string | null;
  /** true for model digest, server version and GPU: the gate exits 2 on these unless told otherwise. */
  blocking: boolean;
}

/** One side: a TR's meta.json and the variant compared. */
export interface ProvenanceSide { meta: Meta; variant: string }

export const PROVENANCE_DEFINITION =
  'Provenance differences: facts recorded in the two TRs\' meta.json that differ — model (name and digest), server version and GPU ' +
  '(these make a comparison apples-to-oranges: the gate refuses them unless --allow-mismatch), host, harness version, experiment ' +
  'settings, the variants\' options (left out when the variants have different names: their options are what is compared), and git ' +
  'commit / dirty state. Endpoint URLs, titles, repetitions and TR bookkeeping are not compared.';

/** Experiment fields that identify or size a TR rather than set up what is measured. */
const NOT_COMPARED = new Set(['title', 'description', 'tags', 'tr', 'supersedes', 'hash', 'variants', 'sweep', 'endpoints', 'options',
  'model', 'repetitions', 'adaptive', 'sourceFile', 'workspaceDir']);

const MAX_VALUE_CHARS = 120;

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

function variantOf(meta: Meta, name: string): Obj {
  const vs = Array.isArray(meta.experiment.variants) ? (meta.experiment.variants as unknown[]).map(obj) : [];
  return vs.find((v) => v.name === name) ?? {};
}

/** The (endpoint name, model) pairs a variant's calls went to: agents for multi-agent, the implementation's endpoint for command. */
function targets(meta: Meta, variant: string): { endpoint: string; model: string }[] {
  const x = meta.experiment;
  const v = variantOf(meta, variant);
  const model = typeof v.model === 'string' ? v.model : typeof x.model === 'string' ? x.model : '';
  const endpoint = typeof x.endpoint === 'string' ? x.endpoint : 'default';
  if (Array.isArray(x.agents) && x.agents.length > 0) {
    return (x.agents as unknown[]).map(obj).map((a) => ({ endpoint: String(a.endpoint ?? endpoint), model: String(a.model ?? model) }));
  }
  if (typeof v.implementation === 'string' && Array.isArray(x.implementations)) {
    const impl = (x.implementations as unknown[]).map(obj).find((i) => i.name === v.implementation);
    return [{ endpoint: typeof impl?.endpoint === 'string' ? impl.endpoint : endpoint, model }];
  }
  return [{ endpoint, model }];
}

function digestOf(env: Environment | undefined, endpoint: string, model: string): string | null {
  const e = env?.endpoints?.find((x) => x.name === endpoint);
  const m = e?.models?.find((x) => x.name === model);
  return m?.digest ?? null;
}

/** Sorted, de-duplicated, joined: so "the same set" compares equal whatever the order. */
const setText = (xs: (string | null)[]): string | null => {
  const known = [...new Set(xs.filter((x): x is string => x !== null && x !== ''))].sort();
  return known.length ? known.join(', ') : null;
};

export function provenanceDifferences(a: ProvenanceSide, b: ProvenanceSide): ProvenanceDifference[] {
  const out: ProvenanceDifference[] = [];
  const add = (field: string, va: unknown, vb: unknown, blocking = false): void => {
    const ta = text(va);
    const tb = text(vb);
    if (ta !== tb) out.push({ field, a: ta, b: tb, blocking });
  };
  const ea = a.meta.environment;
  const eb = b.meta.environment;
  const ta = targets(a.meta, a.variant);
  const tb = targets(b.meta, b.variant);

  add('model', setText(ta.map((t) => t.model)), setText(tb.map((t) => t.model)), true);
  const shortDigest = (d: string | null): string | null => (d === null ? null : d.replace(/^sha256:/, '').slice(0, 12));
  const da = setText(ta.map((t) => shortDigest(digestOf(ea, t.endpoint, t.model))));
  const db = setText(tb.map((t) => shortDigest(digestOf(eb, t.endpoint, t.model))));
  // An unknown digest on one side cannot prove a mismatch: listed, not blocking.
  if (da !== db) out.push({ field: 'model.digest', a: da, b: db, blocking: da !== null && db !== null });
  const version = (env: Environment | undefined, ts: typeof ta): string | null => setText(ts.map((t) => env?.endpoints?.find((e) => e.name === t.endpoint)?.version ?? null));
  const va = version(ea, ta);
  const vb = version(eb, tb);
  if (va !== vb) out.push({ field: 'server.version', a: va, b: vb, blocking: va !== null && vb !== null });
  const gpus = (env: Environment | undefined): string => (env?.gpus ?? []).map((g) => g.name).sort().join(', ') || 'none detected';
  add('gpu', gpus(ea), gpus(eb), true);

  const ha = obj(ea?.host);
  const hb = obj(eb?.host);
  for (const k of ['hostname', 'os', 'arch', 'cpuModel', 'cpus', 'memoryBytes', 'node']) add(`host.${k}`, ha[k], hb[k]);
  add('harness.version', ea?.tool?.version, eb?.tool?.version);

  const xa = a.meta.experiment;
  const xb = b.meta.experiment;
  for (const k of [...new Set([...Object.keys(xa), ...Object.keys(xb)])].sort()) {
    if (!NOT_COMPARED.has(k)) add(`experiment.${k}`, xa[k], xb[k]);
  }
  if (a.variant === b.variant) {
    const oa = obj(variantOf(a.meta, a.variant).options);
    const ob = obj(variantOf(b.meta, b.variant).options);
    for (const k of [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort()) add(`options.${k}`, oa[k], ob[k]);
  }

  const ga = ea?.git;
  const gb = eb?.git;
  if (!ga || !gb) {
    if (ga || gb) out.push({ field: 'git', a: ga ? 'recorded' : null, b: gb ? 'recorded' : null, blocking: false });
  } else {
    add('git.commit', ga.commit, gb.commit);
    if (ga.dirty || gb.dirty) {
      // Dirty on either side: the measured code is not the commit; equal diffs on the same commit are the same code.
      const same = ga.commit === gb.commit && ga.diffHash === gb.diffHash && ga.dirty === gb.dirty;
      if (!same) out.push({ field: 'git.dirty', a: ga.dirty ? `dirty (${ga.diffHash?.slice(7, 19) ?? 'diff not hashed'})` : 'clean', b: gb.dirty ? `dirty (${gb.diffHash?.slice(7, 19) ?? 'diff not hashed'})` : 'clean', blocking: false });
    }
  }
  return out;
}

/** "model.digest: 1a2b… → 3c4d…" lines for people. */
export function describeDifference(d: ProvenanceDifference): string {
  return `${d.field}: ${d.a ?? 'not recorded'} → ${d.b ?? 'not recorded'}${d.blocking ? ' (mismatch)' : ''}`;
}

export const SAME_PROVENANCE = 'the two sides agree on model digest, server version, GPU, host, settings, options and git state';

/** Indented lines for a terminal: the differences (first side → second side), or that there are none. */
export function provenanceLines(diffs: readonly ProvenanceDifference[], sides: string, indent = '  '): string[] {
  if (diffs.length === 0) return [`${indent}provenance: ${SAME_PROVENANCE}`];
  return [`${indent}provenance differences (${sides}):`, ...diffs.map((d) => `${indent}  ${describeDifference(d)}`)];
}
