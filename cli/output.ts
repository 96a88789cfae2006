/** Where commands write: injected so tests can capture output without a child process. */
export interface Output {
  line(text: string): void;
  error(text: string): void;
  json(value: unknown): void;
  /** Stdout is a terminal: `--wait` redraws one status line instead of printing every change. */
  tty?: boolean;
  /** Tables may use colour (a terminal, and NO_COLOR unset). */
  color?: boolean;
  /** Replaces the transient status line of a terminal; `""` clears it. Only called when `tty`. */
  update?(text: string): void;
}

interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
}

const CLEAR_LINE = "\r\x1b[2K";

export function streamOutput(stdout: Stream, stderr: Stream, options: { color?: boolean } = {}): Output {
  let transient = false;
  // A line written while a status line is shown would land on the end of it: clear it first.
  const settle = () => {
    if (transient) stdout.write(CLEAR_LINE);
    transient = false;
  };
  return {
    line: (text) => {
      settle();
      stdout.write(`${text}\n`);
    },
    error: (text) => {
      settle();
      stderr.write(`${text}\n`);
    },
    json: (value) => {
      settle();
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    tty: stdout.isTTY === true,
    color: stdout.isTTY === true && options.color !== false,
    update: (text) => {
      stdout.write(`${CLEAR_LINE}${text}`);
      transient = text !== "";
    },
  };
}
