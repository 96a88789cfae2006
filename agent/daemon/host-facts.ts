/**
 * What the agent detects about its machine when the configuration does not say: cpus, total
 * memory, the free space of the data directory's file system, and the hostname.
 */
import { existsSync, statfsSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";

/** Where detected values come from (tests pass their own). */
export interface HostFacts {
  cpus(): number;
  memMb(): number;
  /** Free MB on the file system holding `dir` (or its nearest existing parent). */
  diskMb(dir: string): number;
  hostname(): string;
}

export const hostFacts: HostFacts = {
  cpus: () => os.availableParallelism(),
  memMb: () => Math.floor(os.totalmem() / 1024 / 1024),
  diskMb: (dir) => {
    let at = resolve(dir);
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
    const fs = statfsSync(at);
    return Math.floor((Number(fs.bavail) * Number(fs.bsize)) / 1024 / 1024);
  },
  hostname: () => os.hostname(),
};
