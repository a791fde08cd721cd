// The vitest matcher as a project's suite uses it: a verdict either way, and no way for a target that could not be
// judged to satisfy `.not.toConformTo` (a typo in the function name must fail the test, not pass it).
import { describe, expect, it } from 'vitest';
import { projectPath } from './paths.js';
import './vitest.js';

const broken = (f: string) => `${projectPath('test', 'fixtures', 'broken', f)}`;
const OPTIONS = { contract: 'last' as const, numRuns: 3 };

describe('toConformTo', () => {
  it('a function that does not exist: the assertion fails put either way, saying it could not judge', async () => {
    await expect(expect(`${broken('correct.py')}:no_such_function`).not.toConformTo(OPTIONS)).rejects.toThrow(/^could not judge .*no function/);
    await expect(expect(`${broken('correct.py')}:no_such_function`).toConformTo(OPTIONS)).rejects.toThrow(/^could not judge/);
  }, 60_000);
  it('a candidate judged non-conforming satisfies .not and fails the positive assertion with its diagnosis', async () => {
    await expect(broken('global_max.py:softmax')).not.toConformTo(OPTIONS);
    await expect(expect(broken('global_max.py:softmax')).toConformTo(OPTIONS)).rejects.toThrow(/does not conform/);
  }, 60_000);
});
