import { describe, expect, it } from 'vitest';
import { REPORTER_NAMES as REPORTERS } from '../report/index.js';
import { DEFAULT_PROFILE as PROFILE } from '../tolerance/profiles.js';
import { DEFAULT_PROFILE, REPORTER_NAMES } from './options.js';

describe('the CLI\'s copies of constants it must not import', () => {
  it('are equal to the originals (same order: --reporters lists them and defaults to all)', () => {
    expect(REPORTER_NAMES).toEqual(REPORTERS);
    expect(DEFAULT_PROFILE).toBe(PROFILE);
  });
});
