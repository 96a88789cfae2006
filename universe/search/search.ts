/**
 * Package search over a SearchIndex, in two flavours: `searchCosmos` reproduces what
 * Cosmos `/package/search` returned (old clients depend on its matching and order), and
 * `searchPackages` is Flotilla's ranked, paginated search. Each query is compiled once into
 * matchers over the precomputed lower-cased text, so a query costs one pass of string scans.
 */
import { UniverseError } from "../errors.js";
import type { IndexedPackage, PackageSummary, SearchIndex } from "./catalog-index.js";
import { candidatesOf, intersectAll } from "./trigrams.js";

/**
 * Cosmos search: no query (or `""`) lists everything; a query containing `*` is a glob
 * that must match the whole name, the whole description or a whole tag (`*` matches any
 * run of characters, everything else is literal); any other query is a substring of the
 * name, the description or a tag. Case-insensitive. Selected packages first, then by name.
 *
 * @example searchCosmos(index, "hello*") // hello-world, but not othello
 */
export function searchCosmos(index: SearchIndex, query?: string): PackageSummary[] {
  if (!query) return index.packages.map((p) => p.summary);
  const q = query.toLowerCase();
  const test = q.includes("*") ? globMatcher(q) : (text: string) => text.includes(q);
  const out: PackageSummary[] = [];
  // The index is kept in Cosmos order, so filtering preserves it.
  for (const p of index.packages) {
    if (test(p.nameLc) || test(p.descriptionLc) || p.tagsLc.some(test)) out.push(p.summary);
  }
  return out;
}

/**
 * Relevance of one query word, by where it matched; a word scores its best match only.
 * The gaps are wide enough that a few weak matches never outrank one strong one.
 */
export const SCORE = {
  nameExact: 1000,
  namePrefix: 500,
  nameSubstring: 200,
  tagExact: 100,
  tagSubstring: 50,
  description: 10,
} as const;

export interface SearchOptions {
  /** Page size, 1..100 (default 20). */
  limit?: number;
  /** Results to skip, ≥ 0 (default 0). */
  offset?: number;
}

export interface RankedPackage extends PackageSummary {
  readonly score: number;
}

export interface SearchPage {
  /** How many packages matched, over all pages. */
  total: number;
  results: RankedPackage[];
}

/** One result of `rankPackages`: the indexed package itself (shared, read-only) and its score. */
export interface SearchHit {
  readonly package: IndexedPackage;
  readonly score: number;
}

export interface SearchHits {
  /** How many packages matched, over all pages. */
  total: number;
  hits: SearchHit[];
}

/**
 * Flotilla's ranked search. The query is split on white space and every word must match the
 * name, a tag or the description; each word scores its best match (see SCORE) and the scores
 * add up. A word containing `*` is a whole-string glob as in Cosmos (name match scores as a
 * name prefix, tag match as an exact tag). Ties go to selected packages, then by name.
 * An empty query lists everything with score 0.
 *
 * @throws UniverseError INVALID_ARGUMENT when limit is not an integer in 1..100 or offset is
 *   not an integer ≥ 0.
 * @example searchPackages(index, "kafka stream", { limit: 10 }) // { total, results: [{ name, score, … }] }
 */
export function searchPackages(index: SearchIndex, query?: string, options: SearchOptions = {}): SearchPage {
  const { total, hits } = rankPackages(index, query, options);
  return { total, results: hits.map((h) => ranked(h.package, h.score)) };
}

/**
 * `searchPackages` without copying results: the page as the index's own packages with their
 * scores, for callers that render results themselves (the gateway serialises each package once
 * per catalog snapshot). Same rules, same errors.
 */
export function rankPackages(index: SearchIndex, query?: string, options: SearchOptions = {}): SearchHits {
  const { limit = 20, offset = 0 } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new UniverseError("INVALID_ARGUMENT", `limit must be an integer from 1 to 100, got ${limit}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UniverseError("INVALID_ARGUMENT", `offset must be an integer of 0 or more, got ${offset}`);
  }

  const words = (query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const packages = index.packages;
  if (words.length === 0) {
    const hits = packages.slice(offset, offset + limit).map((p) => ({ package: p, score: 0 }));
    return { total: packages.length, hits };
  }

  const scorers = words.map(wordScorer);
  // Only packages holding every trigram of every word can match; the scorers decide exactly.
  const narrowed = words.map((w) => candidatesOf(index.trigrams, w)).filter((c) => c !== undefined);
  const candidates = narrowed.length > 0 ? intersectAll(narrowed) : undefined;
  const count = candidates ? candidates.length : packages.length;
  // Positions in the index double as the tie-break (selected, then name): the index is in that
  // order, and candidates come in ascending position.
  const positions: number[] = [];
  const scores: number[] = [];
  for (let c = 0; c < count; c++) {
    const i = candidates ? candidates[c]! : c;
    const p = packages[i]!;
    let total = 0;
    for (const score of scorers) {
      const s = score(p);
      if (s === 0) {
        total = 0;
        break;
      }
      total += s;
    }
    if (total > 0) {
      positions.push(i);
      scores.push(total);
    }
  }

  const page = topPositions(positions, scores, offset + limit).slice(offset);
  return {
    total: positions.length,
    hits: page.map((j) => ({ package: packages[positions[j]!]!, score: scores[j]! })),
  };
}

const ranked = (p: IndexedPackage, score: number): RankedPackage => ({ ...p.summary, score });

/**
 * Indices into `positions`/`scores` of the best `k` matches, best first (higher score, then
 * lower position). When the page is small next to the match count, keeps a sorted buffer of
 * `k` instead of sorting every match.
 */
function topPositions(positions: number[], scores: number[], k: number): number[] {
  const n = positions.length;
  const byRank = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
  if (k * 4 >= n) {
    const all = Array.from({ length: n }, (_, j) => j);
    return all.sort(byRank).slice(0, k);
  }
  const top: number[] = [];
  for (let j = 0; j < n; j++) {
    // Matches arrive in position order, so an equal score never beats one already kept.
    if (top.length === k && scores[j]! <= scores[top[k - 1]!]!) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scores[top[mid]!]! >= scores[j]!) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, j);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Compiles one lower-cased query word into a function giving its score on a package (0 = no match). */
function wordScorer(word: string): (p: IndexedPackage) => number {
  if (word.includes("*")) {
    const test = globMatcher(word);
    return (p) => {
      if (test(p.nameLc)) return SCORE.namePrefix;
      for (const t of p.tagsLc) if (test(t)) return SCORE.tagExact;
      return test(p.descriptionLc) ? SCORE.description : 0;
    };
  }
  return (p) => {
    const name = p.nameLc;
    if (name === word) return SCORE.nameExact;
    const at = name.indexOf(word);
    if (at === 0) return SCORE.namePrefix;
    if (at > 0) return SCORE.nameSubstring;
    let best = 0;
    for (const t of p.tagsLc) {
      if (t === word) return SCORE.tagExact;
      if (best === 0 && t.includes(word)) best = SCORE.tagSubstring;
    }
    if (best > 0) return best;
    return p.descriptionLc.includes(word) ? SCORE.description : 0;
  };
}

/**
 * A whole-string matcher for a lower-cased glob where `*` is any run of characters
 * (newlines included) and every other character is literal. Rather than a RegExp, it
 * checks the fixed prefix and suffix and finds the pieces between them left to right
 * with `indexOf`, which is linear in practice and cannot backtrack catastrophically on
 * queries like `*a*a*a*a*b`.
 */
function globMatcher(glob: string): (text: string) => boolean {
  const parts = glob.split("*");
  if (parts.length === 1) return (text) => text === glob;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter(Boolean);
  const fixed = first.length + last.length;
  return (text) => {
    if (text.length < fixed || !text.startsWith(first) || !text.endsWith(last)) return false;
    const end = text.length - last.length;
    let from = first.length;
    for (const piece of middle) {
      const at = text.indexOf(piece, from);
      if (at < 0 || at + piece.length > end) return false;
      from = at + piece.length;
    }
    return true;
  };
}
