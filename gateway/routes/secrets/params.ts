/**
 * Path parameters of the secret routes. The documented form has the secret's path as one URL
 * segment with its slashes encoded (`PUT /v1/clusters/berlin/secrets/db%2Fpassword`, what the
 * CLI sends); the same routes also answer with the slashes as they are
 * (`…/secrets/db/password`), as DC/OS's and Nomad's APIs did, through undocumented twins.
 */
import { SecretPathSchema } from "../../contract/secrets.js";
import { ClusterRefParam } from "../join-tokens/params.js";

export { ClusterRefParam };
export const SecretParam = ClusterRefParam.extend({ path: SecretPathSchema });

export const SECRET_PATH = "/v1/clusters/{cluster}/secrets/{path}";
/** Hono's pattern for a path of two or more segments; hidden from the OpenAPI document. */
export const NESTED_SECRET_PATH = "/v1/clusters/{cluster}/secrets/{path{.+/.+}}";
