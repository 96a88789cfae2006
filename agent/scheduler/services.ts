/**
 * The services framework: places the instances the deployment planner asks for (Marathon
 * semantics — resources and ports from the app, every constraint operator, bin-pack or spread
 * per app) and records each launch with its app and version. Constraint counts start from the
 * app's tasks already on the cluster, every version included.
 */
import type { App } from "../../universe/models/app.js";
import { appPortDemand, appResources, appStrategy } from "./app-demand.js";
import { compileConstraints } from "./constraints.js";
import { GroupFramework } from "./group-framework.js";
import type { InventoryView } from "./nodes.js";
import type { Offer, TaskLaunch } from "./offers.js";
import { InstanceCounts, type PlacementGroup } from "./placement-group.js";
import type { AppLaunchRequest } from "./planner.js";
import { dominantShare, type Resources } from "./resources.js";
import { countsForConstraints, type ObservedTask } from "./tasks.js";

/** A service task the framework launched. */
export interface ServiceLaunch {
  taskId: string;
  appId: string;
  version: string;
  nodeIndex: number;
  resources: Resources;
  ports: number[];
}

/** A placement group of app instances, with the app it came from. */
export interface ServiceGroup extends PlacementGroup {
  readonly app: App;
  readonly version: string;
}

export interface ServicesFrameworkOptions {
  weight?: number;
  /** Makes task ids unique across cycles: `<app>.<tag>-<n>`. */
  taskIdTag: string;
}

/** The built-in framework for long-running services. */
export class ServicesFramework extends GroupFramework {
  readonly id = "services";
  readonly launched: ServiceLaunch[] = [];
  private seq = 0;

  /**
   * @param requests launches from the planner; placed shallow dependencies first, then larger
   *   instances first (first-fit decreasing packs better), then by app id
   * @param tasks observed tasks, for constraint counts
   */
  constructor(
    requests: readonly AppLaunchRequest[],
    tasks: readonly ObservedTask[],
    inventory: InventoryView,
    private readonly options: ServicesFrameworkOptions,
  ) {
    super(options.weight ?? 1);
    const totals = inventory.totals();
    const sized = requests.map((r) => ({ r, res: appResources(r.app) }));
    sized.sort(
      (a, b) =>
        a.r.depth - b.r.depth ||
        dominantShare(b.res, totals) - dominantShare(a.res, totals) ||
        (a.r.app.id < b.r.app.id ? -1 : a.r.app.id > b.r.app.id ? 1 : 0),
    );
    const byApp = tasksByApp(tasks);
    for (const { r } of sized) this.addGroup(serviceGroup(r, byApp.get(r.app.id) ?? [], inventory));
  }

  /** Groups with instances left unplaced, with their apps. */
  override unplaced(): ServiceGroup[] {
    return super.unplaced() as ServiceGroup[];
  }

  protected launch(group: PlacementGroup, offer: Offer, ports: number[]): TaskLaunch {
    const g = group as ServiceGroup;
    const taskId = `${taskName(g.app.id)}.${this.options.taskIdTag}-${(++this.seq).toString(36)}`;
    this.launched.push({
      taskId,
      appId: g.app.id,
      version: g.version,
      nodeIndex: offer.nodeIndex,
      resources: g.resources,
      ports,
    });
    return { taskId, resources: g.resources, ports };
  }
}

/**
 * The placement group of one launch request. Constraint counts start from the app's tasks
 * that still count for constraints (any version).
 */
export function serviceGroup(
  request: AppLaunchRequest,
  appTasks: readonly ObservedTask[],
  inventory: InventoryView,
): ServiceGroup {
  const constraints = compileConstraints(request.app.constraints);
  const counts = new InstanceCounts(constraints.countedFields);
  if (constraints.countedFields.length > 0) {
    for (const t of appTasks) {
      const i = inventory.indexOf(t.nodeId);
      if (i !== undefined && countsForConstraints(t.state)) counts.add((f) => inventory.attribute(i, f), 1);
    }
  }
  return {
    key: `${request.app.id}@${request.version}`,
    app: request.app,
    version: request.version,
    resources: appResources(request.app),
    ports: appPortDemand(request.app),
    constraints,
    counts,
    strategy: appStrategy(request.app),
    remaining: request.count,
  };
}

function tasksByApp(tasks: readonly ObservedTask[]): Map<string, ObservedTask[]> {
  const byApp = new Map<string, ObservedTask[]>();
  for (const t of tasks) {
    if (t.appId === undefined) continue;
    const list = byApp.get(t.appId);
    if (list) list.push(t);
    else byApp.set(t.appId, [t]);
  }
  return byApp;
}

/** `/prod/web` → `prod_web`, the Marathon task-id prefix. */
export function taskName(appId: string): string {
  return appId.replace(/^\/+/, "").replaceAll("/", "_") || "app";
}
