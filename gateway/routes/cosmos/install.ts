/** `POST <base>/package/install`: install a package on the cluster. */
import { COSMOS_MEDIA, InstallRequest, InstallResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosInstall } from "../../services/cosmos/installs.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosInstall = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/install",
    access: "operator",
    media: COSMOS_MEDIA.install,
    summary: "Cosmos: install a package",
    description:
      "The version is Cosmos's (packageVersion exactly, else the default-version rule); dependencies, options, plan and the desired-state bump are Flotilla's install. An app id already installed is PackageAlreadyInstalled (409).",
    request: InstallRequest,
    response: InstallResponse,
    run: (ctx, cluster, body) => cosmosInstall(ctx, cluster, body),
  });
