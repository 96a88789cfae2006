/**
 * What the CLI needs from the machine it runs on, passed in by the entry (main.ts) so that
 * tests run commands in-process with their own environment, clock and network.
 */
export interface CliHost {
  /** The environment variables the CLI reads: FLOTILLA_*, XDG_CONFIG_HOME, HOME. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, for the default config path when HOME is not set. */
  homedir?: string;
  fetch: typeof fetch;
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * Reads standard input to its end (`flotilla secret set` takes the value from it); absent
   * when the CLI has no standard input to read.
   */
  readStdin?: () => Promise<Uint8Array>;
  /** Standard input is a terminal (a value typed there would echo; the CLI refuses it). */
  stdinIsTTY?: boolean;
}

/** A host with an empty environment: nothing is read from the real user's config. */
export function defaultHost(overrides: Partial<CliHost> = {}): CliHost {
  return {
    env: {},
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...overrides,
  };
}
