/** `GET <base>/capabilities`: what this Cosmos can do, as DC/OS clients check before using it. */
import { z } from "zod";
import { CapabilitiesResponse, COSMOS_MEDIA } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosCluster } from "../../services/cosmos/cluster.js";
import { registerCosmosEndpoint } from "./endpoint.js";

// Cosmos's own list (CapabilitiesHandler): package management, and the cluster report.
const CAPABILITIES = { capabilities: [{ name: "PACKAGE_MANAGEMENT" }, { name: "SUPPORT_CLUSTER_REPORT" }] };

export const registerCosmosCapabilities = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "get",
    path: "/capabilities",
    access: "viewer",
    media: COSMOS_MEDIA.capabilities,
    summary: "Cosmos: capabilities",
    request: z.object({}),
    response: CapabilitiesResponse,
    run: async (ctx, cluster) => {
      await cosmosCluster(ctx, cluster, "viewer");
      return CAPABILITIES;
    },
  });
