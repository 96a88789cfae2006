export * from "./app.js";
export * from "./config.js";
export * from "./issues.js";
export * from "./job.js";
export * from "./package.js";
export * from "./plan.js";
export * from "./resource.js";
export * from "./secrets.js";
