/**
 * The list envelopes the gateway's routes answer with (`{clusters: [...]}` and so on). The
 * item schemas are the gateway's contract; only the envelopes are declared in the routes.
 */
import { z } from "zod";
import { AgentSchema, ClusterSchema, JoinTokenSchema } from "../../gateway/contract/clusters.js";
import { InstallSummarySchema } from "../../gateway/contract/installs.js";

export { SecretListSchema } from "../../gateway/contract/secrets.js";

import { TokenSchema } from "../../gateway/contract/tokens.js";

export const ClusterListSchema = z.object({ clusters: z.array(ClusterSchema) });
export const AgentListSchema = z.object({ agents: z.array(AgentSchema) });
export const JoinTokenListSchema = z.object({ joinTokens: z.array(JoinTokenSchema) });
export const InstallListSchema = z.object({ installs: z.array(InstallSummarySchema) });
export const TokenListSchema = z.object({ tokens: z.array(TokenSchema) });
