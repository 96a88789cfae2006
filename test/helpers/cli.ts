/** Runs the CLI in-process and captures what it prints. */
import type { Output } from "../../cli/output.js";
import { runCli } from "../../cli/run.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...args: string[]): Promise<CliRun> {
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
  const code = await runCli(args, out);
  return { code, stdout, stderr };
}
