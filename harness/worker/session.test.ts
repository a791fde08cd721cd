// The seal (issue 12): a worker launched with LaunchPlan.seal gets it in a `hello` frame first, and every frame it
// sends must carry it; one that does not is refused before its payload is read, as that call's protocol error.
import { describe, expect, test } from 'vitest';
import { projectPath } from '../paths.js';
import { fromNumbers } from '../tensor/tensor.js';
import { PROTOCOL_DEATHS_BEFORE_GIVING_UP, startProcessWorker } from './process-worker.js';
import { Session, type LaunchPlan } from './session.js';

const WORKER = projectPath('test', 'fixtures', 'sealed', 'worker.mjs');
const plan = (mode: string, seal?: string): LaunchPlan => ({ command: process.execPath, args: [WORKER, mode], env: {}, cwd: '/', ...(seal !== undefined ? { seal } : {}) });
const call = { input: fromNumbers('float64', [2], [1000, 5]), args: {} };

async function oneCall(p: LaunchPlan) {
  const started = await Session.start(p, 20_000);
  if (!started.ok) return { started };
  const r = await started.session.run([call], 20_000, 0);
  await started.session.stop();
  return { started, r };
}

describe('sealed worker frames', () => {
  test('a sealed worker is heard: ready, then its result', async () => {
    const { started, r } = await oneCall(plan('sealed', 'f00dfeed'));
    expect(started.ok).toBe(true);
    expect(r?.outcomes.map((o) => o.kind)).toEqual(['ok']);
    // the seal is the harness's business: it does not reach what the runner reads
    expect(started.ok && 'seal' in started.ready).toBe(false);
  });

  test('a result frame without the seal is that call\'s protocol error, not its result', async () => {
    const { r } = await oneCall(plan('unsealed', 'f00dfeed'));
    expect(r?.alive).toBe(false);
    const o = r!.outcomes[0];
    expect(o.kind).toBe('crash');
    expect(o.kind === 'crash' && o.protocolError).toMatch(/^a "result" frame without the worker's seal/);
  });

  test('a guessed seal is no seal', async () => {
    const { r } = await oneCall(plan('guessed', 'f00dfeed'));
    const o = r!.outcomes[0];
    expect(o.kind === 'crash' && o.protocolError).toMatch(/without the worker's seal/);
  });

  test('a ready frame without the seal is no start', async () => {
    const { started } = await oneCall(plan('unsealed-ready', 'f00dfeed'));
    expect(started.ok).toBe(false);
  });

  test('without a seal in the plan nothing is asked of the frames (the Python broker is trusted)', async () => {
    const { r } = await oneCall(plan('plain'));
    expect(r?.outcomes.map((o) => o.kind)).toEqual(['ok']);
  });
});

test('a worker that keeps breaking the protocol is not restarted for every call: the calls left are not run', async () => {
  const spec = { language: 'javascript' as const, file: WORKER, functionName: 'softmax', callStyle: 'x' as const, timeoutMs: 20_000, memoryMb: 0 };
  const w = await startProcessWorker(spec, { plan: async () => plan('unsealed', 'f00dfeed'), spawnFailed: (e) => String(e) });
  if (!('call' in w)) throw new Error('did not start');
  const outcomes = await w.call(Array.from({ length: PROTOCOL_DEATHS_BEFORE_GIVING_UP + 2 }, () => call));
  await w.close();
  expect(outcomes.map((o) => o.kind)).toEqual([...Array(PROTOCOL_DEATHS_BEFORE_GIVING_UP).fill('crash'), 'not-run', 'not-run']);
  const last = outcomes[outcomes.length - 1];
  expect(last.kind === 'not-run' && last.reason).toMatch(/broke the harness's protocol 3 times and was not started again \(last: a "result" frame without/);
});
