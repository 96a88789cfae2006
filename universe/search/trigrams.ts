/**
 * Trigram postings over the text search matches against (a package's lower-cased name, tags
 * and description), so that a query scores only the packages that can match instead of
 * scanning the whole catalog. A word can be a substring of a field only if every trigram of
 * the word occurs in that package, so the packages listed under all of the word's trigrams
 * are a superset of its matches; the exact scorer then decides. Words (or glob pieces)
 * shorter than three characters narrow nothing and fall back to the scan.
 */

/** Package positions in the index (ascending) under each trigram. */
export type TrigramPostings = ReadonlyMap<string, Uint32Array>;

const EMPTY = new Uint32Array(0);

/** Builds the postings of `texts[i]` (every field of the package at position i). */
export function buildTrigramPostings(texts: readonly (readonly string[])[]): TrigramPostings {
  const lists = new Map<string, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const seen = new Set<string>();
    for (const text of texts[i]!) {
      for (let at = 0; at + 3 <= text.length; at++) seen.add(text.slice(at, at + 3));
    }
    for (const tri of seen) {
      const list = lists.get(tri);
      if (list) list.push(i);
      else lists.set(tri, [i]);
    }
  }
  const postings = new Map<string, Uint32Array>();
  for (const [tri, list] of lists) postings.set(tri, Uint32Array.from(list));
  return postings;
}

/**
 * Positions of the packages that may match one lower-cased query word (a glob's `*` splits
 * it into pieces that must each occur), ascending; undefined when no piece is long enough to
 * narrow the search.
 */
export function candidatesOf(postings: TrigramPostings, word: string): Uint32Array | undefined {
  const lists: Uint32Array[] = [];
  for (const piece of word.split("*")) {
    for (let at = 0; at + 3 <= piece.length; at++) lists.push(postings.get(piece.slice(at, at + 3)) ?? EMPTY);
  }
  return lists.length === 0 ? undefined : intersectAll(lists);
}

/** The positions present in every list (each ascending), ascending. */
export function intersectAll(lists: Uint32Array[]): Uint32Array {
  lists.sort((a, b) => a.length - b.length);
  let acc = lists[0] ?? EMPTY;
  for (let l = 1; l < lists.length && acc.length > 0; l++) acc = intersect(acc, lists[l]!);
  return acc;
}

/** Merge-intersection of two ascending lists; `a` is the shorter. */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j === b.length) break;
    if (b[j] === x) out[n++] = x;
  }
  return out.subarray(0, n);
}
