// The differential matrix of `run`: every implementation called on the golden corpus (under `last`), each output
// compared with every library's exported output for the same input and reduction: agree / disagree / both error /
// one side errors, per case family. Plus each library's own findings against the oracle (findings.ts).
import { reduceAxes } from '../contracts.js';
import { argsFor } from '../engine/unit.js';
import type { Policy } from '../contracts.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallOutcome, CallStyle, ImplementationWorker } from '../worker/types.js';
import { agreeWithGolden, findGoldenResult, indexLibraries, type GoldenAgreement } from './agreement.js';
import { goldenFindings, libraryLabel, type GoldenFinding } from './findings.js';
import type { Goldens } from './load.js';

export type AgreementCounts = Record<GoldenAgreement, number>;

export interface GoldenMatrixCell {
  library: string;
  counts: AgreementCounts;
  byFamily: Record<string, AgreementCounts>;
  /** the first disagreement, as a sentence with its case */
  example?: string;
}

export interface GoldenMatrixRow {
  implementation: string;
  cells: GoldenMatrixCell[];
}

export interface GoldenSection {
  corpusVersion: number;
  libraries: { key: string; label: string; version: string }[];
  /** the inputs each implementation was called on: corpus cases x dtypes */
  inputs: number;
  matrix: GoldenMatrixRow[];
  findings: GoldenFinding[];
}

const zero = (): AgreementCounts => ({ agree: 0, disagree: 0, 'both-error': 0, 'golden-error': 0, 'impl-error': 0 });

/** The corpus inputs, in corpus order: one call each. */
export function goldenInputs(g: Goldens): { caseId: string; family: string; input: Tensor }[] {
  return g.cases.flatMap((c) => [...c.inputs.values()].map((input) => ({ caseId: c.id, family: c.family, input })));
}

/** Calls the implementation on every corpus input under `last` and compares with every library. */
export async function goldenRow(
  implementation: string,
  worker: ImplementationWorker,
  callStyle: CallStyle,
  g: Goldens,
  profile: ToleranceProfile,
): Promise<GoldenMatrixRow> {
  const inputs = goldenInputs(g);
  const outcomes = await worker.call(inputs.map(({ input }) => ({ input, args: argsFor(callStyle, 'last', undefined) })));
  const index = indexLibraries(g.libraries);
  const cells = g.libraries.map((lib): GoldenMatrixCell => {
    const cell: GoldenMatrixCell = { library: lib.library, counts: zero(), byFamily: {} };
    const results = index.get(lib.library)!;
    const library = libraryLabel(lib);
    inputs.forEach(({ caseId, family, input }, i) => {
      const c = g.caseById.get(caseId)!;
      const axes = reduceAxes('last', input.shape);
      const golden = findGoldenResult(results, c, input.dtype, axes, 'softmax');
      if (!golden) return; // outside this library's exported scope (e.g. sklearn: 2-D only)
      const a = agreeWithGolden(implOutcome(outcomes[i]), { ...golden, library }, { input, axes }, profile);
      cell.counts[a.verdict]++;
      (cell.byFamily[family] ??= zero())[a.verdict]++;
      if (a.verdict === 'disagree' && !cell.example) cell.example = `${caseId} (${input.dtype}): ${a.detail}`;
    });
    return cell;
  });
  return { implementation, cells };
}

function implOutcome(o: CallOutcome): { output?: Tensor; error?: string } {
  if (o.kind === 'ok') return { output: o.output };
  if (o.kind === 'raised') return { error: `${o.type}: ${o.message}` };
  return { error: o.kind };
}

export function goldenSection(g: Goldens, rows: GoldenMatrixRow[], profile: ToleranceProfile, policy: Policy): GoldenSection {
  return {
    corpusVersion: g.corpusVersion,
    libraries: g.libraries.map((l) => ({ key: l.library, label: libraryLabel(l), version: l.provenance.libraryVersion })),
    inputs: goldenInputs(g).length,
    matrix: rows,
    findings: goldenFindings(g, profile, { policy }).findings,
  };
}
