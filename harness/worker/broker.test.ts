// The broker (broker.py) against candidates that attack the process they run in: forged result frames written to
// every descriptor, descriptors rebound with os.dup2, the mutation check monkeypatched away, forged bytes on the
// channel. Each attack is a wrong or in-place softmax that must still be caught, and the calls around it must come
// back as if it were not there. Then the mutation check itself, table-driven, on small inputs and on the bulk path.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { crashCheck } from '../checks/outcome-checks.js';
import { projectPath } from '../paths.js';
import { bitwiseEqual, fromNumbers, makeTensor, toNumbers, type Tensor } from '../tensor/tensor.js';
import { specFor, start } from '../../test/fixtures/candidates/helpers.js';
import { bulkTransport } from './bulk-files.js';
import { startPythonWorker, RUNNER_SCRIPT } from './python-worker.js';
import type { CallOutcome, CallRequest } from './types.js';
import { PYTHON } from '../../test/helpers/python.js';

const hostile = (name: string): string => projectPath('test', 'fixtures', 'hostile-broker', name);
const call = (input: Tensor): CallRequest => ({ input, args: {} });
const f64 = (...v: number[]): Tensor => fromNumbers('float64', [v.length], v);
/** [1000, 5]: exp(1000) overflows, so a softmax without the max shift returns NaN for it. */
const OVERFLOWS = f64(1000, 5);

/** expectKind without megabytes of tensor in the message. */
function expectKind<K extends CallOutcome['kind']>(o: CallOutcome | undefined, kind: K): Extract<CallOutcome, { kind: K }> {
  const shown = JSON.stringify(o, (_k, v: unknown) => (ArrayBuffer.isView(v) ? `<${(v as Uint8Array).byteLength} bytes>` : v));
  expect(o?.kind, shown?.slice(0, 600)).toBe(kind);
  return o as Extract<CallOutcome, { kind: K }>;
}

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((a) => Math.exp(a - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((a) => a / s);
}

/** An ok outcome with the right softmax of `input` (the candidates are right away from overflow). */
function expectRight(o: CallOutcome | undefined, input: Tensor): void {
  const got = [...toNumbers(expectKind(o, 'ok').output)];
  const want = softmax([...toNumbers(input)]);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-12));
}

/** The overflow is seen: the wrong candidate's own NaN comes back, not a forged [1, 0]. */
function expectOverflow(o: CallOutcome | undefined): void {
  expect(Number.isNaN(toNumbers(expectKind(o, 'ok').output)[0])).toBe(true);
}

test('the crash check names a protocol error instead of a death', () => {
  const probe = { input: OVERFLOWS, args: {} };
  const broke: CallOutcome = { kind: 'crash', exitCode: null, signal: null, stderr: '', protocolError: 'a frame header of 4294967295 bytes (at most 1048576)' };
  expect(crashCheck.judgeAll([probe], [broke])).toMatchObject({ status: 'fail', detail: 'the process broke the worker protocol (a frame header of 4294967295 bytes (at most 1048576)) on [1000, 5] (float64)' });
  const died: CallOutcome = { kind: 'crash', exitCode: null, signal: 'SIGKILL', stderr: '' };
  expect(crashCheck.judgeAll([probe], [died])).toMatchObject({ status: 'fail', detail: 'the process died (signal SIGKILL) on [1000, 5] (float64)' });
});

describe.concurrent('attacks from inside the candidate process', () => {
  test('forged result frames written into every descriptor never reach the harness', async () => {
    const w = await start('forges_frames.py', { file: hostile('forges_frames.py') });
    const ok = f64(1, 2, 3);
    const out = await w.call([call(ok), call(OVERFLOWS), call(ok), call(OVERFLOWS), call(ok)]);
    expectRight(out[0], ok);
    // The only descriptor it can write to that leads anywhere is its own channel: what it wrote there is that
    // call's protocol error, and a fresh process takes the next call. (A frame in the channel's own format would
    // have been taken as that call's output: the candidate's own answer, which it could as well have returned.)
    for (const i of [1, 3]) {
      expect(expectKind(out[i], 'crash').protocolError).toBe("the candidate's process broke the protocol: a result with fields this channel does not have: mutated, output.offset");
    }
    expectRight(out[2], ok);
    expectRight(out[4], ok);
  });

  test('taking over every descriptor with os.dup2 and forging frames through duplicates is that call\'s protocol error', async () => {
    const w = await start('rebinds_fds.py', { file: hostile('rebinds_fds.py') });
    const ok = f64(1, 2, 3);
    const out = await w.call([call(ok), call(OVERFLOWS), call(ok)]);
    expectRight(out[0], ok);
    expect(expectKind(out[1], 'crash').protocolError).toMatch(/fields this channel does not have: mutated, output.offset/);
    expectRight(out[2], ok);
  });

  test('an in-place softmax that monkeypatches the mutation check through __main__ is still caught', async () => {
    const w = await start('patches_checks.py', { file: hostile('patches_checks.py') });
    const x = f64(1, 2, 3);
    // and one on the bulk path (its input goes through the shared files)
    const big = makeTensor('float64', [bulkTransport.thresholdBytes / 8 / 1024 + 1, 1024]);
    const [a, b, c] = await w.call([call(x), call(x), call(big)]);
    for (const o of [a, b, c]) {
      const r = expectKind(o, 'ok');
      expect(r.mutated).toBe(true);
      expect(bitwiseEqual(r.inputAfter!, r.output)).toBe(true);
    }
    expectRight(a, x);
    expectRight(b, x);
    expect(toNumbers(expectKind(c, 'ok').output)[0]).toBe(1 / 1024);
  });

  test('forged bytes on the channel are a protocol error of that call only, with what was sent', async () => {
    const w = await start('corrupts_channel.py', { file: hostile('corrupts_channel.py') });
    // [mode, its id in the batch, 1]; mode 0 is an ordinary call.
    const modes = [0, 1, 0, 2, 3, 0, 4, 5, 6, 7, 0];
    const inputs = modes.map((m, id) => f64(m, id, 1));
    const out = await w.call([...inputs.map(call), call(OVERFLOWS)]);
    const expected: Record<number, RegExp> = {
      1: /a frame header of 4294967295 bytes \(at most 1048576\)/,
      2: /a frame header that is not JSON/,
      3: /a 'result' frame for call 999 during call 4/,
      4: /an output of shape \[1000000\] float64 in 16 bytes \(it needs 8000000\)/,
      5: /an output dtype of 'complex256'/,
      6: /payloadBytes 1099511627776 \(at most \d+ here\)/,
      7: /an output in a memory file without its descriptor/,
    };
    modes.forEach((m, i) => {
      if (m === 0) expectRight(out[i], inputs[i]);
      else {
        const c = expectKind(out[i], 'crash');
        expect(c.protocolError).toMatch(expected[m]);
        expect(c.stderr).toContain('harness protocol error: ');
      }
    });
    expectOverflow(out[modes.length]);
  });

  test('an input the candidate keeps does not change under it when the next input arrives', async () => {
    const w = await start('keeps.py', { file: projectPath('test', 'fixtures', 'hostile-broker', 'keeps_inputs.py') });
    const first = f64(1, 2, 3);
    const out = await w.call([call(first), call(f64(4, 5, 6)), call(f64(7, 8, 9))]);
    for (const o of out) expect(bitwiseEqual(expectKind(o, 'ok').output, first)).toBe(true);
  });
});

/** Float64 bits of a quiet NaN with a payload, as a number whose bits the tensor keeps. */
function withNaN(t: Tensor, index: number): Tensor {
  new DataView(t.data.buffer, t.data.byteOffset).setBigUint64(index * 8, 0x7ff8000000000123n, true);
  return t;
}

interface Row {
  mode: number;
  what: string;
  mutated: boolean;
  /** what inputAfter must be, given the input */
  after?: (input: Tensor, after: Tensor) => void;
}

const TABLE: Row[] = [
  { mode: 0, what: 'nothing', mutated: false },
  { mode: 1, what: 'another value', mutated: true, after: (x, a) => { expect(a.dtype).toBe('float64'); expect(toNumbers(a)[1]).toBe(42); expect(a.shape).toEqual(x.shape); } },
  { mode: 2, what: '-0 over +0', mutated: true, after: (_x, a) => expect(Object.is(toNumbers(a)[1], -0)).toBe(true) },
  {
    mode: 3,
    what: 'another NaN payload',
    mutated: true,
    after: (_x, a) => expect(new DataView(a.data.buffer, a.data.byteOffset).getBigUint64(8, true)).toBe(0x7ff8000000000122n),
  },
  // Reported by the candidate's own process (it sees its array object's dtype change); the bytes are the same.
  { mode: 4, what: 'x.dtype = int64', mutated: true, after: (x, a) => { expect(a.dtype).toBe('int64'); expect(Buffer.compare(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength))).toBe(0); } },
  { mode: 5, what: 'x.shape = (size,)', mutated: true, after: (x, a) => expect(a.shape).toEqual([x.data.length]) },
  { mode: 6, what: 'write, then restore', mutated: false },
];

/** The input for a row: [mode, v, 2, 3, ...] with v = +0, or a NaN with a payload for mode 3. */
function rowInput(mode: number, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n).map((_, i) => (i % 1000) / 7);
  data[0] = mode;
  data[1] = 0;
  const t = makeTensor('float64', shape, data);
  return mode === 3 ? withNaN(t, 1) : t;
}

describe('the mutation check, compared by the broker', () => {
  const defaults = { ...bulkTransport };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-broker-test-'));
    bulkTransport.dir = dir;
  });
  afterEach(() => {
    Object.assign(bulkTransport, defaults);
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['small inputs', [2, 2]],
    ['large inputs (the bulk path)', [bulkTransport.thresholdBytes / 8 / 1024 + 1, 1024]],
  ])('%s', async (_name, shape) => {
    const w = await start('mutation_table.py', { file: hostile('mutation_table.py') });
    const inputs = TABLE.map((r) => rowInput(r.mode, shape));
    const out = await w.call(inputs.map(call));
    TABLE.forEach((row, i) => {
      const o = expectKind(out[i], 'ok');
      expect(o.mutated, row.what).toBe(row.mutated);
      expect(bitwiseEqual(o.output, inputs[i]), `${row.what}: the output is the input as received`).toBe(true);
      if (row.after) row.after(inputs[i], o.inputAfter!);
      else expect(o.inputAfter).toBeUndefined();
    });
  });
});

describe('the runner behind a sandbox prefix (SPEC_JSON sandboxArgv / sandboxArgsFd)', () => {
  const x = f64(1, 2, 3);
  const probe = async (launch: Parameters<typeof startPythonWorker>[1], file = hostile('argv_probe.py')) => {
    const w = await startPythonWorker({ ...specFor('correct.py'), file }, launch);
    if (!('call' in w)) throw new Error(JSON.stringify(w));
    try {
      const [o] = await w.call([call(x), call(x)]);
      return JSON.parse(expectKind(o, 'ok').captured) as { argv: string[]; parent: string; init: string; prefix: string };
    } finally {
      await w.close();
    }
  };

  test('a plain prefix runs before the interpreter; the runner\'s argv is its script and the channel\'s descriptor', async () => {
    const seen = await probe({ sandboxArgv: ['env', 'SC_PREFIX_SEEN=yes'] });
    expect(seen.prefix).toBe('yes');
    expect(seen.argv).toEqual([RUNNER_SCRIPT, expect.stringMatching(/^\d+$/)]);
  });

  // Real bubblewrap when this machine can run it (harness/worker/sandbox.ts owns the policy; this is only how the
  // broker starts it): the options go on a pipe, the runner sees neutral paths only.
  const python = realpathSync(execFileSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim());
  const prefix = execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
  let bwrap = false;
  try {
    execFileSync('bwrap', ['--unshare-all', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
    bwrap = true;
  } catch {
    // no bubblewrap, or no user namespaces here
  }
  test.runIf(bwrap)('bwrap --args FD: the sandbox\'s command lines show no host path', async () => {
    const options = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--setenv', 'PATH', '/usr/bin:/bin',
      '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
      '--ro-bind', prefix, prefix, '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
      '--ro-bind', hostile('argv_probe.py'), '/cand/argv_probe.py', '--ro-bind', RUNNER_SCRIPT, '/opt/run/main.py'];
    const seen = await probe({ sandboxArgsFd: { bwrap: 'bwrap', options }, runnerPython: python, runnerScript: '/opt/run/main.py', runnerFile: '/cand/argv_probe.py' });
    expect(seen.argv).toEqual(['/opt/run/main.py', expect.stringMatching(/^\d+$/)]);
    for (const line of [seen.parent, seen.init, seen.argv.join(' ')]) expect(line).not.toMatch(/softmax|worker|harness|broker/);
  });
});
