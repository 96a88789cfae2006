/** Path parameter of the agent API: the cluster id from the registration response. */
import { z } from "zod";

export const AgentClusterParam = z.object({ cluster: z.string().min(1).max(64) });
