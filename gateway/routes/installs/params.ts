/** Path and query parameters shared by the install routes. */
import { z } from "zod";

export const ClusterParams = z.object({ cluster: z.string().min(1).max(64) });

/** An app id with slashes travels URL-encoded (`team%2Fweb`); the leading slash is optional. */
export const InstallParams = ClusterParams.extend({ appId: z.string().min(1).max(200) });
