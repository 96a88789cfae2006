#!/usr/bin/env node
// Entry of the `flotilla` bin: the only file of the CLI that touches process.
import { streamOutput } from "./output.js";
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), streamOutput(process.stdout, process.stderr));
