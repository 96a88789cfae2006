#!/usr/bin/env node
// Entry of the `flotilla` bin: the only file of the CLI that touches process.
import { homedir } from "node:os";
import { streamOutput } from "./output.js";
import { runCli } from "./run.js";

const { env } = process;
const color = !env.NO_COLOR && env.TERM !== "dumb";
process.exitCode = await runCli(
  process.argv.slice(2),
  streamOutput(process.stdout, process.stderr, { color }),
  {
    env,
    homedir: homedir(),
    stdinIsTTY: process.stdin.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  },
);
