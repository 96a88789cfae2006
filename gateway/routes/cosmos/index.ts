/**
 * The Cosmos API for old clients, one per cluster under `/cosmos/clusters/{cluster}` (which
 * stands in for a DC/OS cluster's URL): `<base>/package/…`, `<base>/cosmos/service/…` and
 * `GET <base>/capabilities`. Any other path below `/cosmos/` is answered in Cosmos's error shape
 * too, so an old client never has to read a problem document.
 */
import type { GatewayApp } from "../../env.js";
import { CosmosError } from "../../services/cosmos/errors.js";
import { registerCosmosCapabilities } from "./capabilities.js";
import { registerCosmosDescribe } from "./describe.js";
import { cosmosErrorResponse } from "./endpoint.js";
import { registerCosmosInstall } from "./install.js";
import { registerCosmosList } from "./list.js";
import { registerCosmosListVersions } from "./list-versions.js";
import { registerCosmosRender } from "./render.js";
import { registerCosmosRepositoryAdd } from "./repository-add.js";
import { registerCosmosRepositoryDelete } from "./repository-delete.js";
import { registerCosmosRepositoryList } from "./repository-list.js";
import { registerCosmosSearch } from "./search.js";
import { registerCosmosServiceDescribe } from "./service-describe.js";
import { registerCosmosServiceUpdate } from "./service-update.js";
import { registerCosmosUninstall } from "./uninstall.js";

export function registerCosmosRoutes(app: GatewayApp): void {
  registerCosmosCapabilities(app);
  registerCosmosSearch(app);
  registerCosmosDescribe(app);
  registerCosmosListVersions(app);
  registerCosmosRender(app);
  registerCosmosInstall(app);
  registerCosmosUninstall(app);
  registerCosmosList(app);
  registerCosmosRepositoryList(app);
  registerCosmosRepositoryAdd(app);
  registerCosmosRepositoryDelete(app);
  registerCosmosServiceDescribe(app);
  registerCosmosServiceUpdate(app);
  // Registered last: only what no Cosmos route above answered reaches it.
  app.all("/cosmos/*", (c) =>
    cosmosErrorResponse(
      c,
      new CosmosError(
        "EndpointNotFound",
        `no Cosmos endpoint ${c.req.method} ${c.req.path}: a cluster's Cosmos API is /cosmos/clusters/<cluster>/package/… and …/cosmos/service/… (POST), and …/capabilities (GET)`,
        404,
      ),
    ),
  );
}
