/**
 * The one error type of the container runtimes. The code is stable (the daemon decides on it:
 * IMAGE_MISSING fails the task for good, RUNTIME_UNAVAILABLE is retried); the message says what
 * was wrong and what to do.
 */
export type RuntimeErrorCode =
  | "INVALID_SPEC" // the launch spec cannot be run as given (bad task id, no command, image on a process runtime)
  | "TASK_EXISTS" // a task with this id was already launched
  | "TASK_RUNNING" // remove() of a task that still runs
  | "UNKNOWN_TASK" // exec()/wait() of a task this runtime does not know
  | "IMAGE_MISSING" // the image is not on the Docker daemon and pulling is off (or failed)
  | "RUNTIME_UNAVAILABLE" // the Docker daemon does not answer
  | "RUNTIME_FAILED"; // the daemon or the OS refused an operation

export class RuntimeError extends Error {
  override readonly name = "RuntimeError";
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const isRuntimeError = (e: unknown): e is RuntimeError => e instanceof RuntimeError;
