/** The repository routes: add, list, show, move, refresh, delete. */
import type { GatewayApp } from "../../env.js";
import { registerAddRepository } from "./add.js";
import { registerGetRepository } from "./get.js";
import { registerListRepositories } from "./list.js";
import { registerMoveRepository } from "./move.js";
import { registerRefreshRepository } from "./refresh.js";

export function registerRepositoryRoutes(app: GatewayApp): void {
  registerAddRepository(app);
  registerListRepositories(app);
  registerGetRepository(app);
  registerMoveRepository(app);
  registerRefreshRepository(app);
}
