/**
 * Services are the apps of every install on a cluster, read from the cluster's status view
 * (instances desired/running/healthy, tasks, why a deployment waits).
 */
import type { z } from "zod";
import {
  type AppStatusSchema,
  type ClusterStatus,
  ClusterStatusSchema,
} from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { CliError } from "../../errors.js";
import type { Session } from "../../session.js";

export type AppStatus = z.infer<typeof AppStatusSchema>;

export interface Service {
  app: AppStatus;
  /** The install that runs it. */
  install: { appId: string; package: string; version: string; revision: number };
}

export async function clusterStatus(s: Session, cluster: string) {
  return s.api.request(ClusterStatusSchema, "GET", apiPath`/v1/clusters/${cluster}/status`);
}

export const servicesOf = (status: ClusterStatus): Service[] =>
  status.installs.flatMap((i) =>
    i.apps.map((app) => ({
      app,
      install: { appId: i.appId, package: i.package, version: i.version, revision: i.revision },
    })),
  );

/** `web` and `/web` name the same app, as in Marathon. */
export const canonical = (id: string) => (id.startsWith("/") ? id : `/${id}`);

/** The service with this id; an install's id also names its only app. */
export function findService(status: ClusterStatus, id: string, cluster: string): Service {
  const services = servicesOf(status);
  const want = canonical(id);
  const found =
    services.find((x) => x.app.id === want) ??
    (() => {
      const ofInstall = services.filter((x) => x.install.appId === want);
      return ofInstall.length === 1 ? ofInstall[0] : undefined;
    })();
  if (!found) {
    throw new CliError(
      `no service ${want} on cluster ${cluster}; flotilla service list --cluster ${cluster} shows what runs there`,
    );
  }
  return found;
}

export const instancesText = (a: AppStatus) => `${a.instances.healthy}/${a.instances.desired}`;
