/** Path parameters of the join-token routes. */
import { z } from "zod";

export const ClusterRefParam = z.object({ cluster: z.string().min(1).max(64) });
export const JoinTokenParam = ClusterRefParam.extend({ id: z.string().min(1).max(64) });
