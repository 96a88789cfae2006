/** Where commands write: injected so tests can capture output without a child process. */
export interface Output {
  line(text: string): void;
  error(text: string): void;
  json(value: unknown): void;
}

export function streamOutput(
  stdout: { write(s: string): unknown },
  stderr: { write(s: string): unknown },
): Output {
  return {
    line: (text) => stdout.write(`${text}\n`),
    error: (text) => stderr.write(`${text}\n`),
    json: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
