// Which parts of the input space a run reached: dtype × rank × slice length × memory layout × value family.
// The full product has tens of thousands of cells, far more than any audit draws, so the map is pairwise (every
// pair of dimensions, as combinatorial testing counts coverage): a gap such as "float16 × length 4097-65536" says a
// whole class of inputs was never tried. Pairs that cannot occur (rank 0 in Fortran order, NaN in int32) are not
// cells at all.
import type { Case } from '../cases/case.js';
import { FAMILY_SPECS } from '../generators/families.js';
import { GENERATED_DTYPES } from '../generators/dtypes.js';
import type { CoverageDimension, CoverageMap } from '../model.js';
import { JS_LAYOUT_KINDS, JS_UNREACHABLE_LAYOUTS, LAYOUT_KINDS } from '../tensor/layout.js';

export const COVERAGE_DIMENSIONS: readonly CoverageDimension[] = ['dtype', 'rank', 'length', 'layout', 'family'];

/** Slice-length buckets (the last axis; 1 for rank 0), split where kernels switch paths (one block of 1,024, ...). */
export const LENGTH_BUCKETS = ['0', '1', '2-31', '32-1024', '1025-4096', '4097-65536', '>65536'] as const;

export function lengthBucket(n: number): string {
  if (n <= 1) return String(Math.max(0, n));
  if (n < 32) return '2-31';
  if (n <= 1024) return '32-1024';
  if (n <= 4096) return '1025-4096';
  if (n <= 65536) return '4097-65536';
  return '>65536';
}

export interface CoverageUniverse {
  dtypes?: readonly string[];
  /** highest rank (default 6) */
  maxRank?: number;
  /** whether slices longer than 65,536 can be drawn (the element budget allows 65,537) */
  beyond65536?: boolean;
  /** the candidate's language: a JavaScript candidate has no analogue of most memory layouts (not cells for it) */
  language?: 'python' | 'javascript';
}

type Coord = Record<CoverageDimension, string>;

function coordOf(c: Case): Coord {
  const shape = c.input.shape;
  return {
    dtype: c.input.dtype,
    rank: String(shape.length),
    length: lengthBucket(shape.length === 0 ? 1 : shape[shape.length - 1]),
    layout: c.layout?.kind ?? 'c',
    family: c.family,
  };
}

const AXIS_ORDER = new Set(['fortran', 'transposed', 'swapaxes']);
const NEEDS_AXIS = new Set([...AXIS_ORDER, 'negative-stride', 'strided', 'broadcast']);

/** Whether a value of one dimension can occur together with a value of another (logically, not by the generator). */
function feasible(x: [CoverageDimension, string], y: [CoverageDimension, string]): boolean {
  const v: Partial<Coord> = { [x[0]]: x[1], [y[0]]: y[1] };
  if (v.rank === '0' && v.length !== undefined && v.length !== '1') return false;
  if (v.rank === '0' && v.layout !== undefined && NEEDS_AXIS.has(v.layout)) return false;
  if (v.rank === '1' && v.layout !== undefined && AXIS_ORDER.has(v.layout)) return false;
  if (v.length === '0' && v.layout === 'broadcast') return false;
  if (v.family !== undefined) {
    const spec = FAMILY_SPECS.find((f) => f.name === v.family);
    if (spec && v.length === '0' && spec.needsElements) return false;
    if (spec && v.dtype !== undefined && !(spec.dtypes as readonly string[]).includes(v.dtype)) return false;
  }
  return true;
}

function label(dim: CoverageDimension, value: string): string {
  switch (dim) {
    case 'rank': return `rank ${value}`;
    case 'length': return `length ${value}`;
    case 'layout': return value === 'c' ? 'C order' : value;
    default: return value;
  }
}

/**
 * The cases seen so far, as counts of distinct coordinates (a few hundred at most, whatever the number of cases):
 * a streaming audit folds each case in once, and the folds of its shares (--jobs, --shard) merge by adding.
 */
export class CoverageFold {
  readonly counts = new Map<string, number>();

  add(c: Case): void {
    const key = JSON.stringify(COVERAGE_DIMENSIONS.map((d) => coordOf(c)[d]));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  merge(o: CoverageFold): void {
    for (const [k, n] of o.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }

  /** The cases counted with this value of a dimension (audit counts its bfloat16 cases). */
  countWhere(dim: CoverageDimension, value: string): number {
    const i = COVERAGE_DIMENSIONS.indexOf(dim);
    let n = 0;
    for (const [k, count] of this.counts) if ((JSON.parse(k) as string[])[i] === value) n += count;
    return n;
  }

  toJSON(): [string[], number][] {
    return [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => [JSON.parse(k) as string[], n]);
  }

  static fromJSON(s: [string[], number][]): CoverageFold {
    const f = new CoverageFold();
    for (const [coord, n] of s) f.counts.set(JSON.stringify(coord), n);
    return f;
  }

  coords(): [Coord, number][] {
    return [...this.counts.entries()].map(([k, n]) => {
      const v = JSON.parse(k) as string[];
      return [Object.fromEntries(COVERAGE_DIMENSIONS.map((d, i) => [d, v[i]])) as Coord, n];
    });
  }
}

/** The pairwise coverage of these cases (or of a fold of them) over the universe of dtypes, ranks, lengths, layouts and value families. */
export function coverageOf(cases: readonly Case[] | CoverageFold, u: CoverageUniverse = {}): CoverageMap {
  const maxRank = u.maxRank ?? 6;
  const dimensions: Record<CoverageDimension, string[]> = {
    dtype: [...(u.dtypes ?? GENERATED_DTYPES)],
    rank: Array.from({ length: maxRank + 1 }, (_, r) => String(r)),
    length: LENGTH_BUCKETS.filter((b) => b !== '>65536' || u.beyond65536 !== false),
    layout: [...(u.language === 'javascript' ? JS_LAYOUT_KINDS : LAYOUT_KINDS)],
    family: FAMILY_SPECS.map((f) => f.name),
  };
  // Said, not counted as gaps: no JavaScript input could reach them, however many cases an audit drew.
  const unreachable = u.language === 'javascript'
    ? Object.entries(JS_UNREACHABLE_LAYOUTS).map(([value, reason]) => ({ dimension: 'layout' as const, value, reason: `not reached for JavaScript: ${reason}` }))
    : [];
  const coords: [Coord, number][] = cases instanceof CoverageFold ? cases.coords() : cases.map((c) => [coordOf(c), 1]);
  const pairs: CoverageMap['pairs'] = [];
  const gaps: string[] = [];
  let reached = 0;
  let total = 0;
  for (let i = 0; i < COVERAGE_DIMENSIONS.length; i++) {
    for (let j = i + 1; j < COVERAGE_DIMENSIONS.length; j++) {
      const a = COVERAGE_DIMENSIONS[i];
      const b = COVERAGE_DIMENSIONS[j];
      const counts: (number | null)[][] = dimensions[a].map((va) => dimensions[b].map((vb) => (feasible([a, va], [b, vb]) ? 0 : null)));
      for (const [c, n] of coords) {
        const ia = dimensions[a].indexOf(c[a]);
        const ib = dimensions[b].indexOf(c[b]);
        if (ia >= 0 && ib >= 0 && counts[ia][ib] !== null) counts[ia][ib]! += n;
      }
      counts.forEach((row, ia) => row.forEach((n, ib) => {
        if (n === null) return;
        total++;
        if (n > 0) reached++;
        else gaps.push(`${label(a, dimensions[a][ia])} × ${label(b, dimensions[b][ib])}`);
      }));
      pairs.push({ dims: [a, b], counts });
    }
  }
  return { dimensions, pairs, reached, total, gaps, ...(unreachable.length ? { unreachable } : {}) };
}

/** One line: "reached 212 of 240 cells; not reached: float16 × rank 6, … (and 25 more)". */
export function coverageSummary(m: CoverageMap, shown = 6): string {
  const head = `reached ${m.reached} of ${m.total} cells (dtype, rank, slice length, layout, value family, pairwise)`;
  const never = m.unreachable?.length ? `; layouts with no analogue here (not cells): ${m.unreachable.map((u) => u.value).join(', ')}` : '';
  if (m.gaps.length === 0) return `${head}; no gaps${never}`;
  const more = m.gaps.length > shown ? `, … (and ${m.gaps.length - shown} more)` : '';
  return `${head}; not reached: ${m.gaps.slice(0, shown).join(', ')}${more}${never}`;
}
