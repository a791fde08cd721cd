import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { INJECTION, makeCheck, makeImpl, makeReport, sampleReport } from './fixtures.js';
import { renderJunit } from './junit.js';

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
const parse = (xml: string) => parser.parse(xml) as { testsuites: Node & { testsuite: (Node & { testcase: Node[] })[] } };

describe('JUnit XML', () => {
  const xml = renderJunit(sampleReport());
  const doc = parse(xml);
  const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase);

  it('is well-formed XML 1.0 without illegal characters', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('has one testcase per implementation x check, named "check [rule]" under the implementation id', () => {
    // 5 + 4 + 1 checks, plus one for the skipped implementation without checks
    expect(cases).toHaveLength(11);
    expect(cases.map((c) => `${c['@classname']} / ${c['@name']}`)).toContain('naive-exp / overflow [last]');
    expect(doc.testsuites.testsuite.map((s) => s['@name'])).toEqual(['numpy-stable', 'naive-exp', 'candidate', 'tfjs']);
  });

  it('maps verdicts: fail and xpass to <failure>, error to <error>, xfail and skip to <skipped>', () => {
    const byName = (impl: string, name: string) => cases.find((c) => c['@classname'] === impl && c['@name'] === name)!;
    const fail = byName('naive-exp', 'overflow [last]').failure as Node;
    expect(fail['@message']).toMatch(/^returns NaN for logits above 709/);
    expect(fail['#text']).toContain('from naive import softmax');
    expect((byName('naive-exp', 'axis [last]').failure as Node)['@type']).toBe('xpass');
    expect((byName('naive-exp', 'underflow [last]').skipped as Node)['@type']).toBe('xfail');
    expect((byName('candidate', 'crash [last]').error as Node)['@message']).toContain('<script>alert(1)</script>');
    expect((byName('numpy-stable', 'memory [last]').skipped as Node)['@message']).toBe('not measured on this platform');
    expect(byName('numpy-stable', 'values [last]').failure).toBeUndefined();
  });

  it('has counts that match its testcases, per suite and in total', () => {
    const root = doc.testsuites;
    expect([root['@tests'], root['@failures'], root['@errors'], root['@skipped']]).toEqual(['11', '2', '1', '3']);
    for (const s of root.testsuite) {
      expect(Number(s['@tests'])).toBe(s.testcase.length);
      expect(Number(s['@failures'])).toBe(s.testcase.filter((c) => c.failure !== undefined).length);
      expect(Number(s['@errors'])).toBe(s.testcase.filter((c) => c.error !== undefined).length);
      expect(Number(s['@skipped'])).toBe(s.testcase.filter((c) => c.skipped !== undefined).length);
    }
  });

  it('survives hostile text: CDATA terminators, control characters, quotes', () => {
    const nasty = `${INJECTION} ]]> ]]> "q" 'a' \u0000\u0008 & done`;
    const r = makeReport({
      verdict: 'fail',
      implementations: [makeImpl({ id: 'x', verdict: 'fail', checks: [makeCheck({ name: 'crash', family: 'crash', verdict: 'fail', diagnosis: nasty })] })],
    });
    const out = renderJunit(r);
    expect(XMLValidator.validate(out)).toBe(true);
    const failure = parse(out).testsuites.testsuite[0].testcase[0].failure as Node;
    expect(failure['@message']).toBe(`<script>alert(1)</script> ]]> ]]> "q" 'a'  & done`);
  });
});
