// The score of some files over the mutants Stryker's instrumenter makes of them now, with the statuses of a Stryker
// report (reports/mutation/mutation.json). After code was removed and only the changed lines were measured again
// (--mutate file:A-B), the incremental file, and so the report and the table, can still hold entries of the removed
// code, and lack mutants whose text changed outside the ranges (docs/mutation.md, mutref3). Here stale entries are
// left out and mutants without a status are counted both ways (a lower and an upper bound).
//   node test/mutation/current-figure.mjs reports/mutation/mutation.json reference/fast.ts reference/round.ts ...
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { strykerPlugins } from './ignorers.mjs';
import { readFileSync } from 'node:fs';
const [report, ...files] = process.argv.slice(2);
const log = { debug() {}, info() {}, warn() {}, error() {}, trace() {}, isDebugEnabled: () => false, isTraceEnabled: () => false, isInfoEnabled: () => false, isWarnEnabled: () => false };
const ins = new Instrumenter(log);
const ignorers = strykerPlugins.map((p) => p.value);
const r = JSON.parse(readFileSync(report, 'utf8'));
const key = (m, d = 0) => m.mutatorName === 'BlockStatement' ? `${m.location.start.line + d}:${m.location.start.column + d} block` : `${m.location.start.line + d}:${m.location.start.column + d}-${m.location.end.line + d}:${m.location.end.column + d} ${m.mutatorName} ${m.replacement}`;
let D = 0, T = 0, M = 0;
for (const f of files) {
  const res = await ins.instrument([{ name: f, content: readFileSync(f, 'utf8'), mutate: true }], { excludedMutations: [], ignorers, plugins: null });
  const cur = res.mutants.filter((m) => m.status !== 'Ignored');
  const have = new Map(r.files[f].mutants.filter((m) => m.status !== 'Ignored').map((m) => [key(m), m]));
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, missing: 0 };
  const curKeys = new Set();
  for (const m of cur) { curKeys.add(key(m, 1)); const s = have.get(key(m, 1))?.status ?? 'missing'; c[s] = (c[s] ?? 0) + 1; }
  const stale = [...have.keys()].filter((k) => !curKeys.has(k)).length;
  const det = c.Killed + c.Timeout;
  D += det; T += cur.length; M += c.missing;
  console.log(`${f}: ${cur.length} mutants: ${c.Killed} killed, ${c.Timeout} timed out, ${c.Survived} survived, ${c.NoCoverage} no coverage, ${c.missing} not measured; stale report entries ${stale}; ${(100 * det / cur.length).toFixed(1)}% to ${(100 * (det + c.missing) / cur.length).toFixed(1)}%`);
}
console.log(`all: ${T} mutants, ${D} detected, ${M} not measured: ${(100 * D / T).toFixed(2)}% to ${(100 * (D + M) / T).toFixed(2)}%`);
