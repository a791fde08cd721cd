// The build's standalone validators must behave exactly like the schemas compiled at runtime: same verdict, same
// error objects (validateJson's messages and pointers are made from them), on valid files and on many broken ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createAjv, schemaFiles, standaloneValidators, STANDALONE_VALIDATORS, validatorFor, type Validator } from '../json-files.js';
import { projectPath } from '../paths.js';
import { sampleReport } from '../report/fixtures.js';
import { standaloneValidatorsCode } from './standalone.js';

const { code, skipped } = standaloneValidatorsCode();
const generated: Record<string, Validator> = (() => {
  const module = { exports: {} as Record<string, Validator> };
  new Function('require', 'module', 'exports', code)(createRequire(import.meta.url), module, module.exports);
  return module.exports;
})();
const compiled = createAjv();

/** Arrays cut to their first 3 items: the same schema parts, validated far faster. */
const json = (...path: string[]) => JSON.parse(readFileSync(projectPath(...path), 'utf8'), (_k, v) => (Array.isArray(v) ? v.slice(0, 3) : v));
/** A real, valid document for every schema (the test below checks they are valid). */
const SAMPLES: Record<string, unknown> = {
  'golden-checksums.schema.json': json('golden', 'checksums.json'),
  'golden-corpus.schema.json': json('golden', 'corpus.json'),
  'golden.schema.json': json('golden', 'sklearn.json'),
  'manifest.schema.json': json('implementations', 'manifest.json'),
  'report.schema.json': JSON.parse(JSON.stringify(sampleReport())),
  'tensor.schema.json': { dtype: 'float32', shape: [2, 2], data: [1, 'nan', '-inf', 0.5] },
  'tolerance.schema.json': json('harness', 'tolerance', 'profiles.json'),
};

type Container = Record<string, unknown> | unknown[];
/** Every (container, key) in a document, depth first. */
function* slots(value: unknown): Generator<[Container, string | number]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield [value, i];
      yield* slots(value[i]);
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      yield [value as Record<string, unknown>, k];
      yield* slots((value as Record<string, unknown>)[k]);
    }
  }
}

/** Runs `check` on the document broken in several ways at up to ~150 places spread over it; restores it after each. */
function forEachBreakage(doc: unknown, check: (what: string) => void): void {
  const all = [...slots(doc)];
  const stride = Math.max(1, Math.floor(all.length / 150));
  for (let i = 0; i < all.length; i += stride) {
    const [c, k] = all[i];
    const rec = c as Record<string | number, unknown>;
    const old = rec[k];
    for (const bad of ['x', null, -1.5, 2 ** 60, true, {}, [], { zz: 1 }]) {
      rec[k] = bad;
      check(`${String(k)} = ${JSON.stringify(bad)}`);
    }
    rec[k] = old;
    if (!Array.isArray(c)) {
      delete rec[k];
      check(`without ${k}`);
      rec[k] = old;
    }
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    (doc as Record<string, unknown>).unexpected = 1;
    check('extra property');
    delete (doc as Record<string, unknown>).unexpected;
  }
}

describe('standalone schema validators', () => {
  it('are generated for every schema', () => {
    expect(skipped).toEqual([]);
    expect(Object.keys(SAMPLES)).toEqual(schemaFiles().map((f) => f.name));
    expect(Object.keys(generated).sort()).toEqual([...Object.keys(SAMPLES), 'schemasDigest'].sort());
  });

  for (const [name, doc] of Object.entries(SAMPLES)) {
    it(`${name}: same verdict and errors as the compiled schema`, () => {
      const a = generated[name];
      const b = compiled.getSchema(name)!;
      expect(a(doc)).toBe(true);
      let broken = 0;
      forEachBreakage(doc, (what) => {
        const ok = a(doc);
        expect({ what, ok, errors: a.errors }).toEqual({ what, ok: b(doc), errors: b.errors });
        if (!ok) broken++;
      });
      expect(broken).toBeGreaterThan(10);
    });
  }

  // Made by `npm run build` (so by `npm ci`), and by the suite's global setup (test/global-setup.ts).
  it('the built module is what validatorFor uses, and is what the generator makes now', () => {
    expect(standaloneValidators(), `${STANDALONE_VALIDATORS} is missing or out of date: npm run build`).not.toBeNull();
    for (const name of Object.keys(SAMPLES)) expect(validatorFor(name)).toBe(standaloneValidators()![name]);
    expect(readFileSync(STANDALONE_VALIDATORS, 'utf8'), `${STANDALONE_VALIDATORS}: npm run build`).toBe(code);
  });
});
