/**
 * `docker exec` through the Engine API, for COMMAND health checks: create an exec instance,
 * start it attached (the answer streams the multiplexed output until the command ends), then
 * read its exit code.
 */
import { type DockerClient, demultiplex, isTimeoutOrAbort } from "./docker-client.js";
import { containerName } from "./docker-container.js";
import { RuntimeError } from "./errors.js";
import type { ExecOptions, ExecResult } from "./types.js";

const EXEC_OUTPUT_LIMIT = 4096;

export async function execInContainer(
  client: DockerClient,
  taskId: string,
  command: string,
  options: ExecOptions,
): Promise<ExecResult> {
  const fail = (status: number, message: string) =>
    new RuntimeError(
      "RUNTIME_FAILED",
      `Docker at unix://${client.socketPath} could not exec in task ${taskId} (${status}): ${message}`,
    );
  const created = await client.call(`/containers/${containerName(taskId)}/exec`, {
    method: "POST",
    body: { Cmd: ["/bin/sh", "-c", command], AttachStdout: true, AttachStderr: true },
  });
  if (created.status === 404) throw new RuntimeError("UNKNOWN_TASK", `no container for task ${taskId}`);
  if (created.status !== 201) throw fail(created.status, created.message());
  const { Id } = created.json<{ Id: string }>();
  let output: Buffer;
  try {
    const started = await client.call(`/exec/${Id}/start`, {
      method: "POST",
      body: { Detach: false, Tty: false },
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (started.status !== 200) throw fail(started.status, started.message());
    output = started.body;
  } catch (err) {
    // The Engine API cannot kill an exec'd process; it is left to finish on its own.
    if (isTimeoutOrAbort(err)) return { exitCode: null, output: "", timedOut: true };
    throw err;
  }
  const info = await client.call(`/exec/${Id}/json`);
  if (info.status !== 200) throw fail(info.status, info.message());
  const text = Buffer.concat(demultiplex(output).map((f) => f.data)).toString("utf8");
  return {
    exitCode: info.json<{ ExitCode: number | null }>().ExitCode,
    output: text.slice(0, EXEC_OUTPUT_LIMIT),
    timedOut: false,
  };
}
