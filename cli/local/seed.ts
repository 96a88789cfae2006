/**
 * What a fresh local system gets: the sample catalog (samples/packages, published as Flotilla
 * bundles into the `local` repository), the Universe sample as a second repository (browsable;
 * its Docker images are not available here), and a cluster named `local`. Every step checks
 * first, so a second start changes nothing.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { packBundle } from "../../universe/bundle/index.js";
import { type LocalApi, LocalApiError } from "./api.js";

async function filesUnder(root: string, dir = root): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await filesUnder(root, path));
    else if (entry.isFile()) out[relative(root, path)] = new Uint8Array(await readFile(path));
  }
  return out;
}

export interface SeedReport {
  published: string[];
  repositoryImported: boolean;
  clusterCreated: boolean;
  warnings: string[];
}

export async function seed(
  api: LocalApi,
  samplesDir: string,
  universeSampleDir: string,
): Promise<SeedReport> {
  const report: SeedReport = {
    published: [],
    repositoryImported: false,
    clusterCreated: false,
    warnings: [],
  };
  for (const entry of (await readdir(samplesDir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    const known = await api.get(`/v1/packages/${entry.name}/versions`);
    if (known) continue;
    const { archive } = await packBundle(await filesUnder(join(samplesDir, entry.name)));
    try {
      await api.post("/v1/packages", archive, "application/gzip");
      report.published.push(entry.name);
    } catch (e) {
      report.warnings.push(`sample ${entry.name} was not published: ${(e as Error).message}`);
    }
  }
  if (!(await api.get("/v1/repositories/universe-sample"))) {
    const { archive } = await packBundle(await filesUnder(universeSampleDir));
    try {
      await api.post("/v1/repositories?name=universe-sample", archive, "application/gzip");
      report.repositoryImported = true;
    } catch (e) {
      report.warnings.push(`the Universe sample was not imported: ${(e as Error).message}`);
    }
  }
  if (!(await api.get("/v1/clusters/local"))) {
    try {
      await api.post("/v1/clusters", { name: "local", labels: { purpose: "local" } });
      report.clusterCreated = true;
    } catch (e) {
      if (!(e instanceof LocalApiError && e.status === 409)) throw e;
    }
  }
  return report;
}
