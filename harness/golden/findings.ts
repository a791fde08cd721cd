// What the goldens show about each library, measured against the oracle (reference/softmax.ts): per case family its
// error statistics, and findings as sentences — raised errors, dtype changes, subnormal flushing, special-value
// behaviour that departs from the policy, accuracy. Nothing is written by hand: every sentence is computed from the
// committed golden files, so re-exporting with other library versions rewrites them.
import { oracle } from '../../reference/softmax.js';
import type { Policy } from '../contracts.js';
import { isFloatDType, resultDType, type DType, type FloatDType } from '../tensor/dtype.js';
import { bitwiseEqual, numbersOf, slicesOver, type Tensor } from '../tensor/tensor.js';
import { EPSILON, MIN_NORMAL, MIN_SUBNORMAL, ulpDistance } from '../tolerance/metrics.js';
import { compareToOracle, type ToleranceProfile } from '../tolerance/profiles.js';
import { goldenAxes } from './agreement.js';
import { resultKey, type GoldenCase, type GoldenLibrary, type GoldenResult, type Goldens } from './load.js';

export type GoldenFindingKind = 'error' | 'dtype' | 'shape' | 'subnormal-flush' | 'special-values' | 'log-softmax-zero' | 'accuracy' | 'int64-input' | 'mutation';

export interface GoldenFinding {
  library: string;
  kind: GoldenFindingKind;
  /** the case families it was seen in */
  families: string[];
  /** results (or slices, for special-values; elements, for subnormal-flush) it concerns */
  count: number;
  sentence: string;
}

/** One library's error against the oracle on one case family, in one output dtype. */
export interface GoldenFamilyStats {
  library: string;
  family: string;
  /** the dtype compared in: the library's output dtype (the input's result dtype for errors) */
  dtype: FloatDType;
  results: number;
  /** results where the library raised */
  errors: number;
  /** elements compared (both finite, or both the same special value) */
  elements: number;
  /** elements bit-equal to the correctly rounded value */
  exact: number;
  /** over elements where both are finite */
  maxUlp: number;
  /** where maxUlp was seen */
  worstCase?: string;
  /** elements that are NaN or infinite on one side only, or infinities of different sign */
  specialMismatches: number;
  /** correctly rounded value a nonzero subnormal, library returned zero */
  flushedSubnormals: number;
  /** results out of the tolerance profile */
  profileFailures: number;
}

export interface GoldenFindings {
  policy: Policy;
  findings: GoldenFinding[];
  stats: GoldenFamilyStats[];
}

// ---------------------------------------------------------------------------------------------------------------
// Elementwise measures

const SMALLEST_NORMAL = MIN_NORMAL;
const SMALLEST_SUBNORMAL = MIN_SUBNORMAL;

const sameSpecial = (e: number, o: number) => (Number.isNaN(e) ? Number.isNaN(o) : e === o);
const isSpecial = (v: number) => !Number.isFinite(v);

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function fmtValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3).replace(/\.?0+e/, 'e');
}

/** Two values that must read differently when they differ: more digits when the short forms coincide. */
function fmtPair(a: number, b: number): [string, string] {
  const x = fmtValue(a);
  const y = fmtValue(b);
  return x === y && !Object.is(a, b) ? [String(a), String(b)] : [x, y];
}

function fmtList(vs: readonly number[]): string {
  const shown = vs.length > 6 ? [...vs.slice(0, 5).map(fmtValue), '…'] : vs.map(fmtValue);
  return `[${shown.join(', ')}]`;
}

const count = (n: number) => (n >= 1e7 ? n.toExponential(2).replace('e+', 'e') : grouped(n));
/** n.toLocaleString('en-US'), by hand for counts: the first toLocaleString of a process loads ICU (10-25 ms). */
function grouped(n: number): string {
  if (!(Number.isSafeInteger(n) && n >= 0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
const listText = (xs: readonly (string | number)[]) =>
  xs.length <= 1 ? String(xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** The last component of a qualified exception type (numpy.exceptions.AxisError -> AxisError). */
const shortType = (t: string) => t.split('.').pop() ?? t;

/** A library's label: its key plus the environment switches that change its results. */
export function libraryLabel(lib: GoldenLibrary): string {
  const env = lib.provenance.env;
  const switches = ['JAX_ENABLE_X64', 'TF_ENABLE_ONEDNN_OPTS'].filter((k) => k in env).map((k) => `${k}=${env[k]}`);
  const device = gpuOf(lib);
  const notes = [...(device ? [`GPU: ${device}`] : []), ...switches];
  return notes.length ? `${lib.library} (${notes.join(', ')})` : lib.library;
}

/**
 * The GPU a golden was recorded on (shared/golden-gpu, re-recorded with a CUDA machine), or undefined for CPU rows.
 * Such rows cannot be reproduced by `golden export` on a machine without one, which leaves them in place.
 */
export function gpuOf(lib: GoldenLibrary): string | undefined {
  const details = (lib.provenance as { details?: Record<string, unknown> }).details ?? {};
  if (typeof details.device === 'string') return details.device;
  return /on CUDA \(([^)]+)\)/.exec(lib.title)?.[1];
}

// ---------------------------------------------------------------------------------------------------------------

interface Ctx {
  g: Goldens;
  policy: Policy;
  oracleCache: Map<string, Tensor>;
}

function expectedFor(ctx: Ctx, c: GoldenCase, r: GoldenResult, outDtype: FloatDType): Tensor {
  const key = `${resultKey(r.case, r.dtype, r.axis, r.op)}|${outDtype}`;
  let e = ctx.oracleCache.get(key);
  if (!e) {
    e = oracle(c.inputs.get(r.dtype)!, goldenAxes(c.shape, r.axis), { op: r.op, policy: ctx.policy, outDtype });
    ctx.oracleCache.set(key, e);
  }
  return e;
}

function beyondDoubleIntegers(x: Tensor): boolean {
  if (x.dtype !== 'int64') return false;
  const lim = 2n ** 53n;
  return (x.data as BigInt64Array).some((v) => v > lim || v < -lim);
}

interface SpecialExample {
  caseId: string;
  dtype: DType;
  axis: GoldenResult['axis'];
  op: GoldenResult['op'];
  sliceIdx: number[];
  input: number[];
  output: number[];
  expected: number[];
}

interface SpecialGroup {
  lib: GoldenLibrary;
  dtype: DType;
  op: GoldenResult['op'];
  kind: 'not-nan' | 'spurious-nan' | 'infinity';
  slices: number;
  cases: Set<string>;
  families: Set<string>;
  example: SpecialExample;
}

/** Per-library, per-family error against the oracle, and the findings the goldens show. */
export function goldenFindings(g: Goldens, profile: ToleranceProfile, opts: { policy?: Policy } = {}): GoldenFindings {
  const ctx: Ctx = { g, policy: opts.policy ?? 'ieee', oracleCache: new Map() };
  const findings: GoldenFinding[] = [];
  const stats = new Map<string, GoldenFamilyStats>();
  const statFor = (lib: string, family: string, dtype: FloatDType) => {
    const k = `${lib}|${family}|${dtype}`;
    let s = stats.get(k);
    if (!s) {
      s = { library: lib, family, dtype, results: 0, errors: 0, elements: 0, exact: 0, maxUlp: 0, specialMismatches: 0, flushedSubnormals: 0, profileFailures: 0 };
      stats.set(k, s);
    }
    return s;
  };
  const byLibrary = new Map(g.libraries.map((l) => [l.library, new Map(l.results.map((r) => [resultKey(r.case, r.dtype, r.axis, r.op), r]))]));
  const profileName = profile.name;

  for (const lib of g.libraries) {
    const label = libraryLabel(lib);
    const dtypeChanges = new Map<string, { from: DType; to: DType; n: number; families: Set<string> }>();
    const shapeIssues: { r: GoldenResult; shape: readonly number[] }[] = [];
    const flush = new Map<FloatDType, { flushed: number; far: number; subnormal: number; subnormalFar: number; results: Set<string>; families: Set<string> }>();
    const special = new Map<string, SpecialGroup>();
    const int64: { r: GoldenResult; pass: boolean; maxUlp: number }[] = [];
    const failuresByFamily = new Map<string, number>();
    // log-softmax outputs of 0 where the correctly rounded value is a small negative number (|e| < eps)
    const logZero = new Map<FloatDType, { n: number; largest: number; results: Set<string>; families: Set<string> }>();
    const perDtype = new Map<FloatDType, { elements: number; exact: number; maxUlp: number; worst?: string; worstFamily?: string; worstOp?: string; worstActual?: number; worstExpected?: number }>();
    let mutated = 0;

    for (const r of lib.results) {
      const c = g.caseById.get(r.case)!;
      const x = c.inputs.get(r.dtype)!;
      if (r.inputMutated) mutated++;
      if (!r.output) {
        const s = statFor(lib.library, c.family, resultDType(r.dtype));
        s.results++;
        s.errors++;
        continue;
      }
      const out = r.output;
      const want = resultDType(r.dtype);
      if (out.dtype !== want) {
        const k = `${r.dtype}>${out.dtype}`;
        const d = dtypeChanges.get(k) ?? { from: r.dtype, to: out.dtype, n: 0, families: new Set<string>() };
        d.n++;
        d.families.add(c.family);
        dtypeChanges.set(k, d);
      }
      if (out.shape.length !== x.shape.length || out.shape.some((n, i) => n !== x.shape[i])) {
        shapeIssues.push({ r, shape: out.shape });
        continue;
      }
      if (!isFloatDType(out.dtype)) continue;
      const dt = out.dtype;
      const expected = expectedFor(ctx, c, r, dt);
      const axes = goldenAxes(c.shape, r.axis);
      // Half the goldens' results are the oracle's bit for bit: every element 0 ULP, within every profile.
      const same = bitwiseEqual(out, expected);
      const cmp = same ? undefined : compareToOracle(out, expected, { input: x, axes }, profile);
      const pass = cmp === undefined || cmp.pass;
      if (beyondDoubleIntegers(x)) {
        let m = 0;
        const ev = numbersOf(expected);
        const ov = numbersOf(out);
        for (let i = 0; i < ov.length; i++) if (Number.isFinite(ev[i]) && Number.isFinite(ov[i])) m = Math.max(m, ulpDistance(ov[i], ev[i], out.dtype as FloatDType));
        int64.push({ r, pass, maxUlp: m });
        continue;
      }
      const s = statFor(lib.library, c.family, dt);
      s.results++;
      if (!pass) {
        s.profileFailures++;
        failuresByFamily.set(c.family, (failuresByFamily.get(c.family) ?? 0) + 1);
      }
      // numbersOf: the values compareToOracle already read (shared, read only); cmp.sample.ulps: its ULP distance of
      // every element, the same ulpDistance(o[i], e[i], dt), not computed twice (none: all 0, the same bits).
      const o = numbersOf(out);
      const e = numbersOf(expected);
      const xs = numbersOf(x);
      const ulps = cmp?.sample.ulps;
      const pd = perDtype.get(dt) ?? { elements: 0, exact: 0, maxUlp: 0 };
      perDtype.set(dt, pd);
      // elements
      let specialMismatch = false;
      for (let i = 0; i < o.length; i++) {
        const ev = e[i];
        const ov = o[i];
        if (isSpecial(ev) || isSpecial(ov)) {
          if (sameSpecial(ev, ov)) {
            s.elements++;
            s.exact++;
            pd.elements++;
            pd.exact++;
          } else {
            s.specialMismatches++;
            specialMismatch = true;
          }
          continue;
        }
        const u = ulps === undefined ? 0 : ulps[i];
        s.elements++;
        pd.elements++;
        if (u === 0) {
          s.exact++;
          pd.exact++;
        }
        if (u > s.maxUlp) {
          s.maxUlp = u;
          s.worstCase = r.case;
        }
        if (u > pd.maxUlp) {
          pd.maxUlp = u;
          pd.worst = r.case;
          pd.worstFamily = c.family;
          pd.worstOp = r.op;
          pd.worstActual = ov;
          pd.worstExpected = ev;
        }
        if (r.op === 'log-softmax' && ov === 0 && ev < 0 && -ev < EPSILON[dt]) {
          const z = logZero.get(dt) ?? { n: 0, largest: 0, results: new Set<string>(), families: new Set<string>() };
          logZero.set(dt, z);
          z.n++;
          z.largest = Math.min(z.largest, ev);
          z.results.add(resultKey(r.case, r.dtype, r.axis, r.op));
          z.families.add(c.family);
        }
        if (ev !== 0 && Math.abs(ev) < SMALLEST_NORMAL[dt]) {
          const f = flush.get(dt) ?? { flushed: 0, far: 0, subnormal: 0, subnormalFar: 0, results: new Set<string>(), families: new Set<string>() };
          flush.set(dt, f);
          f.subnormal++;
          const far = Math.abs(ev) >= 4 * SMALLEST_SUBNORMAL[dt];
          if (far) f.subnormalFar++;
          if (ov === 0) {
            f.flushed++;
            s.flushedSubnormals++;
            if (far) f.far++;
            f.results.add(resultKey(r.case, r.dtype, r.axis, r.op));
            f.families.add(c.family);
          }
        }
      }
      // slices whose special values depart from the policy: only where an element did (most results have none, and
      // walking every slice's indices costs as much as the elements' loop)
      if (o.length === 0 || !specialMismatch) continue;
      for (const idx of slicesOver(x.shape, axes)) {
        if (idx.every((i) => sameSpecial(e[i], o[i]) || (!isSpecial(e[i]) && !isSpecial(o[i])))) continue;
        const allNaN = idx.every((i) => Number.isNaN(e[i]));
        const kind: SpecialGroup['kind'] = allNaN ? 'not-nan' : idx.some((i) => Number.isNaN(o[i]) && !Number.isNaN(e[i])) ? 'spurious-nan' : 'infinity';
        const gk = `${r.dtype}|${r.op}|${kind}`;
        const example: SpecialExample = {
          caseId: r.case, dtype: r.dtype, axis: r.axis, op: r.op, sliceIdx: [...idx],
          input: idx.map((i) => xs[i]), output: idx.map((i) => o[i]), expected: idx.map((i) => e[i]),
        };
        const grp = special.get(gk);
        if (!grp) {
          special.set(gk, { lib, dtype: r.dtype, op: r.op, kind, slices: 1, cases: new Set([r.case]), families: new Set([c.family]), example });
        } else {
          grp.slices++;
          grp.cases.add(r.case);
          grp.families.add(c.family);
          if (idx.length < grp.example.sliceIdx.length) grp.example = example;
        }
      }
    }

    // ---- sentences ----
    // errors, grouped by exception type and message shape
    const errorGroups = new Map<string, GoldenResult[]>();
    for (const r of lib.results) {
      if (!r.error) continue;
      const sig = firstLine(r.error.message)
        .replace(/"[^"]*"/g, '"…"')
        .replace(/'[^']*'/g, "'…'")
        .replace(/\b(u?int|float|bfloat|half|double)\d*\b/gi, 'T')
        .replace(/\d+/g, '#');
      const k = `${r.error.type}|${sig}`;
      const group = errorGroups.get(k);
      if (group) group.push(r);
      else errorGroups.set(k, [r]);
    }
    const universes: Universes = new Map();
    for (const group of errorGroups.values()) findings.push(errorFinding(g, lib, label, group, byLibrary, universes));

    for (const d of dtypeChanges.values()) {
      const total = lib.results.filter((r) => r.dtype === d.from && r.output).length;
      findings.push({
        library: lib.library, kind: 'dtype', families: [...d.families].sort(), count: d.n,
        sentence: `${label} returns ${d.to} for ${d.from} input (${d.n} of ${plural(total, `${d.from} result`)} with an output${d.n < total || d.families.size <= 2 ? `; ${listText([...d.families].sort())}` : ''}), where ${resultDType(d.from)} is expected.`,
      });
    }
    if (shapeIssues.length) {
      const { r, shape } = shapeIssues[0];
      const c = g.caseById.get(r.case)!;
      findings.push({
        library: lib.library, kind: 'shape', families: [...new Set(shapeIssues.map((s) => g.caseById.get(s.r.case)!.family))].sort(), count: shapeIssues.length,
        sentence: `${label} returns an array of another shape than its input in ${plural(shapeIssues.length, 'result')}, e.g. (${shape.join(', ')}) for (${c.shape.join(', ')}) in case ${r.case}.`,
      });
    }
    for (const [dt, f] of flush) {
      if (f.flushed === 0) continue;
      // Flushing: most outputs well inside the subnormal range (>= 4 subnormal ULPs) come back as 0. Otherwise the
      // zeros are isolated roundings or intermediate underflow, and are reported as such.
      const sentence = f.far > 0 && f.far * 2 >= f.subnormalFar
        ? `${label} ${dt} flushes subnormal outputs to zero: ${count(f.flushed)} of ${plural(f.subnormal, 'element')} whose correctly rounded value is a ${dt} subnormal come back as 0 (${plural(f.results.size, 'result')}; ${listText([...f.families].sort())}).`
        : `${label} ${dt} keeps most subnormal outputs but returns 0 for ${count(f.flushed)} of ${plural(f.subnormal, 'element')} whose correctly rounded value is a ${dt} subnormal (${plural(f.results.size, 'result')}; ${listText([...f.families].sort())}).`;
      findings.push({ library: lib.library, kind: 'subnormal-flush', families: [...f.families].sort(), count: f.flushed, sentence });
    }
    for (const grp of special.values()) findings.push(specialFinding(g, grp, label, byLibrary, ctx.policy));
    for (const [dt, z] of logZero) {
      findings.push({
        library: lib.library, kind: 'log-softmax-zero', families: [...z.families].sort(), count: z.n,
        sentence: `${label} ${dt} log-softmax returns 0 for ${plural(z.n, 'element')} whose correctly rounded value is a small negative number above -${dt} epsilon (as low as ${fmtValue(z.largest)}; ${plural(z.results.size, 'result')}; ${listText([...z.families].sort())}).`,
      });
    }
    for (const [dt, pd] of [...perDtype].sort((a, b) => DT_ORDER[a[0]] - DT_ORDER[b[0]])) {
      if (pd.elements === 0) continue;
      const pct = ((100 * pd.exact) / pd.elements).toFixed(pd.exact === pd.elements ? 0 : 1);
      findings.push({
        library: lib.library, kind: 'accuracy', families: [], count: pd.elements,
        sentence: pd.maxUlp === 0
          ? `${label} ${dt}: all ${plural(pd.elements, 'element')} compared are correctly rounded.`
          : `${label} ${dt}: ${pct}% of ${plural(pd.elements, 'element')} correctly rounded; at most ${plural(pd.maxUlp, 'ULP')} off (${pd.worstOp} of case ${pd.worst}, family ${pd.worstFamily}: ${fmtPair(pd.worstActual!, pd.worstExpected!).join(' where the correctly rounded value is ')}).`,
      });
    }
    if (failuresByFamily.size) {
      const parts = [...failuresByFamily].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} (${n})`);
      const n = [...failuresByFamily.values()].reduce((a, b) => a + b, 0);
      findings.push({
        library: lib.library, kind: 'accuracy', families: [...failuresByFamily.keys()].sort(), count: n,
        sentence: `${label} is outside the ${profileName} profile on ${plural(n, 'result')}: ${parts.join(', ')}.`,
      });
    }
    const int64Off = int64.filter((x) => !x.pass);
    if (int64Off.length) {
      const m = Math.max(...int64Off.map((x) => x.maxUlp));
      findings.push({
        library: lib.library, kind: 'int64-input', families: [...new Set(int64Off.map((x) => g.caseById.get(x.r.case)!.family))].sort(), count: int64Off.length,
        sentence: `${label} differs from the oracle on ${plural(int64Off.length, 'result')} whose int64 inputs lie beyond 2^53 (${listText([...new Set(int64Off.map((x) => x.r.case))])}), up to ${plural(m, 'ULP')}; the oracle rounds such integers to float64 before computing.`,
      });
    }
    if (mutated) {
      findings.push({ library: lib.library, kind: 'mutation', families: [], count: mutated, sentence: `${label} modifies its input array in ${plural(mutated, 'result')}.` });
    }
  }
  const statList = [...stats.values()].sort((a, b) =>
    a.library < b.library ? -1 : a.library > b.library ? 1 : a.family < b.family ? -1 : a.family > b.family ? 1 : DT_ORDER[a.dtype] - DT_ORDER[b.dtype]);
  return { policy: ctx.policy, findings, stats: statList };
}

const DT_ORDER: Record<FloatDType, number> = { float64: 0, float32: 1, float16: 2, bfloat16: 3 };

/**
 * Per library: its results of a set of input dtypes (key: the dtypes joined), and how many distinct values each
 * property takes over them (key: dtypes|property). A library's error groups mostly share their dtypes: counted once.
 */
type Universes = Map<string, { results: GoldenResult[]; distinct: Map<string, number> }>;

function errorFinding(g: Goldens, lib: GoldenLibrary, label: string, group: GoldenResult[], byLibrary: Map<string, Map<string, GoldenResult>>, universes: Universes): GoldenFinding {
  const dtypes = [...new Set(group.map((r) => r.dtype))];
  const ukey = dtypes.join(',');
  let u = universes.get(ukey);
  if (!u) universes.set(ukey, (u = { results: lib.results.filter((r) => dtypes.includes(r.dtype)), distinct: new Map() }));
  const universe = u.results;
  const distinct = u.distinct;
  const rank = (r: GoldenResult) => g.caseById.get(r.case)!.shape.length;
  const family = (r: GoldenResult) => g.caseById.get(r.case)!.family;
  const restrict: string[] = [];
  const subset = <T>(property: string, f: (r: GoldenResult) => T): T[] | undefined => {
    const inGroup = [...new Set(group.map(f))];
    let all = distinct.get(property);
    if (all === undefined) distinct.set(property, (all = new Set(universe.map(f)).size));
    return inGroup.length < all ? inGroup : undefined;
  };
  const fams = subset('family', family);
  const ranks = subset('rank', rank);
  if (fams && fams.length <= 2) restrict.push(`in family ${listText(fams.sort())}`);
  else if (ranks) restrict.push(`of rank ${listText(ranks.sort((a, b) => a - b))}`);
  const axes = subset('axis', (r) => (r.axis === null ? 'null' : String(r.axis)));
  if (axes && axes.length <= 2) restrict.push(`with axis ${listText(axes)}`);
  const ops = subset('op', (r) => r.op);
  if (ops) restrict.push(`(${listText(ops)} only)`);
  const where = group.length === universe.length ? `every ${listText(dtypes)} input` : `${listText(dtypes)} input${restrict.length ? ' ' + restrict.join(' ') : ''}`;
  // what the other libraries do on the same results
  const others = [...byLibrary.keys()].filter((k) => k !== lib.library);
  const keys = group.map((r) => resultKey(r.case, r.dtype, r.axis, r.op));
  const answering = others.filter((k) => {
    const idx = byLibrary.get(k)!;
    const theirs = keys.map((key) => idx.get(key)).filter((r): r is GoldenResult => r !== undefined);
    return theirs.length > 0 && theirs.every((r) => r.output);
  });
  const tail = answering.length ? `; ${listText(answering)} return${answering.length === 1 ? 's' : ''} an array there` : '';
  return {
    library: lib.library, kind: 'error', families: [...new Set(group.map(family))].sort(), count: group.length,
    sentence: `${label} raises ${shortType(group[0].error!.type)} on ${where} (${plural(group.length, 'result')}): "${firstLine(group[0].error!.message)}"${tail}.`,
  };
}

function specialFinding(g: Goldens, grp: SpecialGroup, label: string, byLibrary: Map<string, Map<string, GoldenResult>>, policy: Policy): GoldenFinding {
  const ex = grp.example;
  const key = resultKey(ex.caseId, ex.dtype, ex.axis, ex.op);
  const likeOracle: string[] = [];
  const likeThis: string[] = [];
  let others = 0;
  for (const [name, idx] of byLibrary) {
    if (name === grp.lib.library) continue;
    const r = idx.get(key);
    if (!r?.output || r.output.data.length !== g.caseById.get(ex.caseId)!.inputs.get(ex.dtype)!.data.length) continue;
    others++;
    const o = numbersOf(r.output);
    const theirs = ex.sliceIdx.map((i) => o[i]);
    const pattern = (vs: number[], ref: number[]) => vs.every((v, j) => (isSpecial(ref[j]) || isSpecial(v) ? sameSpecial(ref[j], v) : true));
    if (pattern(theirs, ex.expected)) likeOracle.push(name);
    else if (pattern(theirs, ex.output)) likeThis.push(name);
  }
  const what = grp.kind === 'not-nan' ? 'all NaN' : fmtList(ex.expected);
  const agreeing = likeOracle.length === others && others > 0 ? `the oracle (${policy}) and all ${others} other libraries give ${what}` : `the oracle (${policy}) gives ${what}${others ? ` and ${likeOracle.length} of ${others} other libraries agree with it` : ''}`;
  const same = likeThis.length ? `; ${listText(likeThis)} return${likeThis.length === 1 ? 's' : ''} the same as ${grp.lib.library}` : '';
  const axisText = ex.axis === null ? 'the whole array' : `axis ${ex.axis}`;
  return {
    library: grp.lib.library, kind: 'special-values', families: [...grp.families].sort(), count: grp.slices,
    sentence: `${label} ${ex.dtype} ${grp.op} returns ${fmtList(ex.output)} for ${fmtList(ex.input)} (case ${ex.caseId}, ${axisText}) where ${agreeing}${same} (${plural(grp.slices, 'slice')} in ${plural(grp.cases.size, 'case')}).`,
  };
}
