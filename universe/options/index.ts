/** Package options: defaults from config.json, deep merge, JSON Schema validation, resolution. */
export * from "./compile.js";
export * from "./defaults.js";
export * from "./merge.js";
export * from "./resolve.js";
export * from "./validate.js";
