/** Path parameters of the operator's agent routes. */
import { z } from "zod";

export const ClusterRefParam = z.object({ cluster: z.string().min(1).max(64) });
export const AgentParam = ClusterRefParam.extend({ agent: z.string().min(1).max(64) });
