// The two formats the runtimes parse by hand: /proc/<pid>/stat and Docker's multiplexed streams.
import { describe, expect, it } from "vitest";
import { demultiplex } from "../../../agent/runtime/docker-client.js";
import { parseProcStat, readProcStat, startTicksToEpochMs } from "../../../agent/runtime/proc.js";

describe("/proc/<pid>/stat", () => {
  it("reads state, process group and start time even when the command name holds spaces and parentheses", () => {
    const fields = ["S", "1", "4242", "4242", "0", "-1", "4194560", ...Array(12).fill("0"), "987654", "1"];
    expect(parseProcStat(`4242 (my (weird) cmd) ${fields.join(" ")}`)).toEqual({
      pid: 4242,
      state: "S",
      pgrp: 4242,
      startTicks: 987654,
    });
    expect(parseProcStat("garbage")).toBeUndefined();
  });

  it("gives this process a start time in the recent past", () => {
    const self = readProcStat(process.pid)!;
    const startedAt = startTicksToEpochMs(self.startTicks);
    expect(startedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(startedAt).toBeGreaterThan(Date.now() - 3_600_000);
  });
});

describe("Docker stream frames", () => {
  const frame = (stream: number, text: string) => {
    const data = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(data.length, 4);
    return Buffer.concat([header, data]);
  };

  it("splits stdout and stderr frames in order and keeps a truncated last frame", () => {
    const buffer = Buffer.concat([
      frame(1, "out\n"),
      frame(2, "err\n"),
      frame(1, "more output").subarray(0, 12),
    ]);
    expect(demultiplex(buffer).map((f) => [f.stream, f.data.toString()])).toEqual([
      ["stdout", "out\n"],
      ["stderr", "err\n"],
      ["stdout", "more"],
    ]);
  });
});
