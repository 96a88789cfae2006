/**
 * Images for the Docker runtime. Pulling is off by default (on-prem clusters often reach no
 * registry): a missing image is an error that says how to bring it onto the node.
 */
import type { DockerClient } from "./docker-client.js";
import { RuntimeError } from "./errors.js";

export function imageMissing(image: string, socketPath: string, pullTried?: string): RuntimeError {
  return new RuntimeError(
    "IMAGE_MISSING",
    `image ${image} is not on the Docker daemon at unix://${socketPath}${pullTried ? ` and pulling it failed: ${pullTried}` : " (pulling is off)"}. ` +
      `Bring it onto the node: "docker load -i image.tar", or build one locally, e.g. "tar -C rootfs -c . | docker import - ${image}"; ` +
      "or start the agent with image pulling on when a registry is reachable",
    { image },
  );
}

/**
 * Pulls `image` through the daemon. The daemon answers 200 and streams progress lines; a failure
 * arrives as a line with an `error` field, so every line is read.
 */
export async function pullImage(client: DockerClient, image: string): Promise<void> {
  const res = await client.call("/images/create", {
    method: "POST",
    query: { fromImage: image },
    timeoutMs: 15 * 60_000,
  });
  if (res.status !== 200) throw imageMissing(image, client.socketPath, res.message());
  for (const line of res.body.toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const progress = JSON.parse(line) as { error?: string };
      if (progress.error) throw imageMissing(image, client.socketPath, progress.error);
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
    }
  }
}
