/**
 * The one error type of the CLI: a message for the operator and the exit code scripts see.
 * Exit codes: 0 success, 1 the command ran and found failures (or the server refused),
 * 2 bad usage (unknown command or flag, missing argument, unreadable input).
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, 2);
