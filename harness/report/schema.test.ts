import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AXIS_RULES, POLICIES } from '../contracts.js';
import { DataError } from '../errors.js';
import { validateJson, validatorFor } from '../json-files.js';
import { CHECK_FAMILIES, type RunReport } from '../model.js';
import { makeStats, sampleReport } from './fixtures.js';
import { loadReport, renderJson, REPORT_SCHEMA } from './json.js';
import { ULP_BUCKETS } from './ulp-plot.js';
import schema from '../schemas/report.schema.json' with { type: 'json' };
import { tempDirs } from '../../test/helpers/temp.js';

const clone = (r: RunReport): RunReport => JSON.parse(JSON.stringify(r));
const tmp = tempDirs('sc-report-');

function pointerOf(value: unknown): string {
  try {
    validateJson(value, REPORT_SCHEMA, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as DataError).pointer;
  }
  throw new Error('expected the report to be rejected');
}

describe('report.schema.json', () => {
  it('accepts a full report (every verdict, both tensor forms, golden)', () => {
    const validate = validatorFor(REPORT_SCHEMA);
    const ok = validate(clone(sampleReport()));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts a coverage map and a counterexample handed over in a memory layout; rejects an unknown layout', async () => {
    const { coverageOf } = await import('../engine/coverage.js');
    const { makeTensor } = await import('../tensor/tensor.js');
    const r = clone(sampleReport());
    r.implementations[0].coverage = coverageOf([{ id: 'a', title: 'a', source: 'generated', family: 'nan', input: makeTensor('float64', [2, 3]), layout: { kind: 'fortran' } }]);
    const failing = r.implementations.flatMap((i) => i.checks).find((c) => c.counterexample)!;
    failing.counterexample!.args.layout = { kind: 'swapaxes', axes: [0, 1] };
    const validate = validatorFor(REPORT_SCHEMA);
    expect(validate(clone(r)), JSON.stringify(validate.errors)).toBe(true);
    (failing.counterexample!.args.layout as { kind: string }).kind = 'diagonal';
    expect(validate(clone(r))).toBe(false);
  });

  it('rejects a bad verdict deep inside, naming its JSON pointer', () => {
    const r = clone(sampleReport()) as unknown as { implementations: { checks: { verdict: string }[] }[] };
    r.implementations[1].checks[1].verdict = 'maybe';
    expect(pointerOf(r)).toBe('/implementations/1/checks/1/verdict');
  });

  it('rejects properties the model does not have', () => {
    const r = clone(sampleReport()) as unknown as { implementations: Record<string, unknown>[] };
    r.implementations[0].colour = 'red';
    expect(pointerOf(r)).toBe('/implementations/0');
  });

  it('rejects a broken tensor in a counterexample (via tensor.schema.json)', () => {
    const r = clone(sampleReport()) as unknown as { implementations: { checks: { counterexample?: { input: unknown } }[] }[] };
    r.implementations[1].checks[1].counterexample!.input = { dtype: 'float64', shape: [1], data: ['NaN!'] };
    expect(pointerOf(r)).toMatch(/^\/implementations\/1\/checks\/1\/counterexample\/input/);
  });

  it('rejects histogram buckets outside the fixed set and wrong schemaVersion', () => {
    const r = clone(sampleReport());
    r.implementations[0].checks[0].stats!.ulpHistogram = { '5-6': 1 };
    expect(pointerOf(r)).toMatch(/^\/implementations\/0\/checks\/0\/stats\/ulpHistogram/);
    expect(pointerOf({ ...clone(sampleReport()), schemaVersion: 2 })).toBe('/schemaVersion');
  });

  it('keeps its enums identical to the model constants', () => {
    const defs = schema.$defs;
    expect(defs.family.anyOf[0].enum).toEqual([...CHECK_FAMILIES]);
    expect(defs.axisRule.enum).toEqual([...AXIS_RULES]);
    expect(defs.policy.enum).toEqual([...POLICIES]);
    expect(defs.errorStats.properties.ulpHistogram.propertyNames.enum).toEqual([...ULP_BUCKETS]);
    expect(defs.verdict.enum.sort()).toEqual(['error', 'fail', 'pass', 'skip', 'xfail', 'xpass']);
  });
});

describe('renderJson / loadReport', () => {
  it('writes a report that loads back equal', () => {
    const dir = tmp();
    const file = join(dir, 'report.json');
    writeFileSync(file, renderJson(sampleReport()));
    expect(loadReport(file)).toEqual(clone(sampleReport()));
  });

  it('refuses to render a report that would not be valid as written (NaN becomes null in JSON)', () => {
    const r = sampleReport();
    r.implementations[0].checks[0].stats = { ...makeStats(1), maxUlp: Number.NaN };
    expect(() => renderJson(r)).toThrow(/\/implementations\/0\/checks\/0\/stats\/maxUlp/);
  });

  it('loadReport names the file and the pointer', () => {
    const dir = tmp();
    const file = join(dir, 'bad.json');
    const r = clone(sampleReport()) as unknown as { verdict: string };
    r.verdict = 'green';
    writeFileSync(file, JSON.stringify(r));
    let err: unknown;
    try {
      loadReport(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(file);
    expect((err as DataError).pointer).toBe('/verdict');
    expect(() => loadReport(join(dir, 'missing.json'))).toThrow(/missing\.json.*cannot read/);
  });
});
