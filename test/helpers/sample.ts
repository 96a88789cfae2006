/** Paths of the shared Universe sample and small helpers to copy and damage it in tests. */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../..");
/** A copy of ../shared/fixtures/universe-sample (see its NOTICE.md), so tests run in any checkout. */
export const SAMPLE_ROOT = resolve(REPO_ROOT, "test/fixtures/universe-sample");
export const SAMPLE_REPO = join(SAMPLE_ROOT, "repo");
export const SAMPLE_REVISIONS = 9;
export const SAMPLE_PACKAGES = 5;

/** A throw-away copy of the sample repository that a test may change. */
export async function copySample(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "flotilla-sample-"));
  await cp(SAMPLE_REPO, join(dir, "repo"), { recursive: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
