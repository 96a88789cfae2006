/** Rendering: Cosmos-compatible mustache and install plans from package templates. */
export * from "./cosmos-mustache.js";
export * from "./group.js";
export * from "./render-plan.js";
export * from "./rendered-json.js";
