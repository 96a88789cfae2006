/**
 * The body of `GET /v1/packages`, written as text. Search answers are mostly the same few
 * thousand package summaries in different orders, so each summary is serialised once per
 * catalog snapshot (kept beside the snapshot's own object, and dropped with it) and a page is
 * those fragments joined with the scores — instead of copying and stringifying every result
 * of every query, which was most of a search's cost under load.
 */

import type { z } from "zod";
import type { IndexedPackage, SearchHits } from "../../../universe/search/index.js";
import type { PackageSummarySchema } from "../../contract/catalog.js";

/** A summary's JSON without its closing brace, ready for `,"score":N}`. */
const fragments = new WeakMap<IndexedPackage, string>();

function fragmentOf(p: IndexedPackage): string {
  let fragment = fragments.get(p);
  if (fragment === undefined) {
    const s = p.summary;
    // The wire shape of PackageSummarySchema, `score` added per query.
    const summary: Omit<z.infer<typeof PackageSummarySchema>, "score"> = {
      name: s.name,
      currentVersion: s.currentVersion,
      versions: { ...s.versions },
      description: s.description,
      tags: [...s.tags],
      selected: s.selected,
      framework: s.framework,
      ...(s.images && { images: { ...s.images } }),
    };
    fragment = JSON.stringify(summary).slice(0, -1);
    fragments.set(p, fragment);
  }
  return fragment;
}

/** `{"total","limit","offset","results":[…]}` as SearchResultSchema describes it. */
export function searchResultJson(page: SearchHits, limit: number, offset: number): string {
  let out = `{"total":${page.total},"limit":${limit},"offset":${offset},"results":[`;
  for (let i = 0; i < page.hits.length; i++) {
    const hit = page.hits[i]!;
    out += `${i === 0 ? "" : ","}${fragmentOf(hit.package)},"score":${JSON.stringify(hit.score)}}`;
  }
  return `${out}]}`;
}
