/** In-memory package search: the catalog index, Cosmos-compatible search and Flotilla's ranked search. */
export {
  buildSearchIndex,
  type CatalogEntry,
  type IndexedPackage,
  type PackageSummary,
  type SearchIndex,
} from "./catalog-index.js";
export {
  type RankedPackage,
  rankPackages,
  SCORE,
  type SearchHit,
  type SearchHits,
  type SearchOptions,
  type SearchPage,
  searchCosmos,
  searchPackages,
} from "./search.js";
