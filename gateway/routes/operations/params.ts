/** Path parameters of the operations routes. */
import { z } from "zod";
import { JobIdSchema } from "../../contract/operations.js";

export const ClusterParams = z.object({ cluster: z.string().min(1).max(64) });

export const JobParams = ClusterParams.extend({ jobId: JobIdSchema });
