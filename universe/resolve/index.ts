/** Dependency resolution: the public surface of `universe/resolve`. */
export {
  type Requirement,
  type Resolution,
  type ResolveOptions,
  type ResolveRoot,
  type ResolverCatalog,
  type ResolverPackage,
  resolveDependencies,
} from "./dependencies.js";
