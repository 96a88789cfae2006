/** `POST <base>/package/describe`: one package version, chosen by Cosmos's default-version rule. */
import { COSMOS_MEDIA, DescribeRequest, DescribeResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosDescribe } from "../../services/cosmos/packages.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosDescribe = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/describe",
    access: "viewer",
    media: COSMOS_MEDIA.describe,
    summary: "Cosmos: describe a package",
    description:
      "Without packageVersion: the highest releaseVersion of the highest-priority repository that has the package (no semver comparison). Response v3 is `{package}` (the Universe index entry); v2 is the package flat.",
    request: DescribeRequest,
    response: DescribeResponse,
    run: (ctx, cluster, body, version) => cosmosDescribe(ctx, cluster, body, version),
  });
