export * from "./lint-packages.js";
