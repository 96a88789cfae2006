export * from "./bundle.js";
export * from "./files.js";
export * from "./index-entry.js";
export * from "./result.js";
export * from "./revision.js";
export * from "./tree.js";
export * from "./universe-index.js";
