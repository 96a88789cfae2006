/**
 * A real Docker Engine for the tests, and a local busybox image made from the host's static
 * busybox binary (no registry is reachable from the test machines). The tests need only dockerd
 * and busybox-static: `bash scripts/docker-up.sh` starts a private daemon and prints DOCKER_HOST.
 * No daemon is a FAILURE, not a skip: Docker support must not go silently untested.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { pack } from "tar-stream";
import { DockerClient, dockerSocketPath } from "../../agent/runtime/docker-client.js";

export const BUSYBOX_IMAGE = "busybox:local";
const BUSYBOX_BINARY = "/usr/bin/busybox";

export interface TestDocker {
  dockerHost: string;
  client: DockerClient;
}

const HOW_TO_START =
  "start a private daemon with `bash scripts/docker-up.sh` (needs Debian's docker.io; it prints the DOCKER_HOST) " +
  "and run the tests with DOCKER_HOST=unix:///work/main/.tmp/docker/docker.sock (or what it printed)";

/** The daemon named by DOCKER_HOST; throws with how to start one when it is unset or silent. */
export async function requireDocker(): Promise<TestDocker> {
  const dockerHost = process.env.DOCKER_HOST;
  if (!dockerHost)
    throw new Error(`DOCKER_HOST is not set; these tests need a real Docker daemon: ${HOW_TO_START}`);
  const client = new DockerClient(dockerSocketPath(dockerHost));
  if (!(await client.ping(3000))) {
    await client.close();
    throw new Error(`no Docker daemon answers on ${dockerHost}: ${HOW_TO_START}`);
  }
  return { dockerHost, client };
}

/**
 * A root filesystem as a tar: /bin/busybox, a symlink per applet (sh, httpd, sleep, …), /tmp
 * and /www. Same as `tar -C root -c . | docker import -` in /tmp/busybox-image.md, in memory.
 */
export async function busyboxRootfsTar(): Promise<Buffer> {
  if (!existsSync(BUSYBOX_BINARY)) {
    throw new Error(`${BUSYBOX_BINARY} is missing: apt-get install -y busybox-static`);
  }
  const binary = readFileSync(BUSYBOX_BINARY);
  const applets = execFileSync(BUSYBOX_BINARY, ["--list"], { encoding: "utf8" })
    .split("\n")
    .map((a) => a.trim())
    .filter((a) => a && a !== "busybox" && /^[\w.[-]+$/.test(a));
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (c: unknown) => chunks.push(c as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  const mtime = new Date(0);
  archive.entry({ name: "bin/", type: "directory", mode: 0o755, mtime });
  archive.entry({ name: "tmp/", type: "directory", mode: 0o1777, mtime });
  archive.entry({ name: "www/", type: "directory", mode: 0o755, mtime });
  archive.entry({ name: "bin/busybox", mode: 0o755, size: binary.length, mtime }, binary);
  for (const applet of applets) {
    archive.entry({ name: `bin/${applet}`, type: "symlink", linkname: "busybox", mode: 0o777, mtime });
  }
  archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/** Imports the busybox rootfs as `image` unless the daemon already has it. */
export async function ensureBusyboxImage(client: DockerClient, image = BUSYBOX_IMAGE): Promise<void> {
  if ((await client.call(`/images/${image}/json`)).status === 200) return;
  const [repo, tag = "latest"] = image.split(":");
  const res = await client.call("/images/create", {
    method: "POST",
    query: { fromSrc: "-", repo, tag },
    body: await busyboxRootfsTar(),
    timeoutMs: 60_000,
  });
  const text = res.body.toString("utf8");
  if (res.status !== 200 || text.includes('"error"')) {
    throw new Error(`docker import of ${image} failed (${res.status}): ${text.slice(0, 500)}`);
  }
}

export async function removeImage(client: DockerClient, image: string): Promise<void> {
  await client.call(`/images/${image}`, { method: "DELETE", query: { force: true } });
}
