/** `POST <base>/cosmos/service/describe`: an installed service's package, moves and options. */
import { COSMOS_MEDIA, ServiceDescribeRequest, ServiceDescribeResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosServiceDescribe } from "../../services/cosmos/service.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosServiceDescribe = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/cosmos/service/describe",
    access: "viewer",
    media: COSMOS_MEDIA.serviceDescribe,
    summary: "Cosmos: describe an installed service",
    description:
      "The package it runs, the versions it may upgrade or downgrade to, and its options: userProvidedOptions as given, resolvedOptions with the defaults merged in.",
    request: ServiceDescribeRequest,
    response: ServiceDescribeResponse,
    run: (ctx, cluster, body) => cosmosServiceDescribe(ctx, cluster, body),
  });
