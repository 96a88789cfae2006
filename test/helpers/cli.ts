/** Runs the CLI in-process and captures what it prints. */
import type { Output } from "../../cli/output.js";
import { runCli } from "../../cli/run.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flotilla …` in-process with `host` (environment, stdin…) and captures what it prints. */
export async function runCaptured(args: string[], host?: Parameters<typeof runCli>[2]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out: Output = {
    line: (t) => {
      stdout += `${t}\n`;
    },
    error: (t) => {
      stderr += `${t}\n`;
    },
    json: (v) => {
      stdout += `${JSON.stringify(v)}\n`;
    },
  };
  const code = await runCli(args, out, host);
  return { code, stdout, stderr };
}

export const cli = (...args: string[]): Promise<CliRun> => runCaptured(args);
