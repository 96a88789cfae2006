/** `POST <base>/package/render`: the Marathon app a package renders to (a dry run). */
import { COSMOS_MEDIA, RenderRequest, RenderResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosRender } from "../../services/cosmos/packages.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosRender = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/render",
    access: "viewer",
    media: COSMOS_MEDIA.render,
    summary: "Cosmos: render a package's Marathon app",
    description:
      "Options resolved as Cosmos did (defaults, yours merged over them, validated against config.json: JsonSchemaMismatch lists each failing path), the DCOS_PACKAGE_* labels added, appId applied last. The app is the one of Flotilla's install plan, so fields Flotilla acts on carry Marathon's defaults. A package that renders no app or several apps is refused (ServiceMarathonTemplateNotFound, MultipleMarathonApps): POST /v1/packages/{name}/render gives the whole plan.",
    request: RenderRequest,
    response: RenderResponse,
    run: (ctx, cluster, body) => cosmosRender(ctx, cluster, body),
  });
