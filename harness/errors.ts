// Errors that end a command with a meaningful exit code (DESIGN.md): 2 for usage, data and environment problems.
// Candidate failures are never thrown as these: they become check outcomes in the report.

export const EXIT_OK = 0;
export const EXIT_NONCONFORMING = 1;
export const EXIT_USAGE_OR_DATA = 2;

/** Wrong command-line usage. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT_USAGE_OR_DATA;
}

/** A file the harness reads is malformed or breaks its schema. `pointer` is a JSON pointer into it. */
export class DataError extends Error {
  override name = 'DataError';
  readonly exitCode = EXIT_USAGE_OR_DATA;
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly problem: string,
  ) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${problem}`);
  }
}

/** The machine lacks something the harness needs (python3, NumPy, ...); the message says what to do. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  readonly exitCode = EXIT_USAGE_OR_DATA;
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError || err instanceof DataError || err instanceof EnvironmentError) return err.exitCode;
  return EXIT_USAGE_OR_DATA;
}
