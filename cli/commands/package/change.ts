/**
 * What install, update and rollback share after the gateway accepted the change: say what
 * changed (or print the API's JSON), then, with --wait, follow the deployment.
 */
import type { InstallChange } from "../../../gateway/contract/installs.js";
import type { Session } from "../../session.js";
import { followInstall } from "../../wait/follow.js";

export interface ChangeOptions {
  kind: "install" | "update" | "rollback";
  cluster: string;
  /** Milliseconds, when --wait was given. */
  waitMs: number | undefined;
}

export async function finishChange(
  s: Session,
  change: InstallChange,
  raw: unknown,
  options: ChangeOptions,
  extra: string[] = [],
): Promise<number> {
  if (s.json) s.out.json(raw);
  else {
    const verb = { install: "Installed", update: "Updated", rollback: "Rolled back" }[options.kind];
    s.out.line(
      `${verb} ${change.appId} on cluster ${options.cluster}: ${change.package} ${change.version}, revision ${change.revision} (desired revision ${change.desiredRevision}).`,
    );
    for (const line of extra) s.out.line(line);
    if (change.postInstallNotes && options.kind === "install") s.out.line(change.postInstallNotes);
    if (options.waitMs === undefined) {
      s.out.line(`Follow it with: flotilla service show ${change.appId} --cluster ${options.cluster}`);
    }
  }
  if (options.waitMs !== undefined) {
    await followInstall(s, {
      cluster: options.cluster,
      appId: change.appId,
      revision: change.revision,
      ...(options.kind !== "install" && { since: change.updatedAt }),
      timeoutMs: options.waitMs,
    });
  }
  return 0;
}
