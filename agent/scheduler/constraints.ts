/**
 * Placement constraints `[field, OPERATOR, value?]` with the semantics of SCHEDULING.md,
 * compiled once per app (regexes built once, answers memoised per attribute value) into:
 * static checks that depend on the node alone (IS, LIKE, UNLIKE, CLUSTER with a value) and
 * counted ones that depend on where the app's other instances are (UNIQUE, MAX_PER, CLUSTER
 * without a value, GROUP_BY). A node without the field's attribute satisfies only UNLIKE.
 */
import type { Constraint } from "../../universe/models/app.js";

export type { Constraint };

/** A constraint decided by the node's attribute value alone. */
export interface StaticConstraint {
  readonly constraint: Constraint;
  readonly field: string;
  allows(value: string | undefined): boolean;
}

/** UNIQUE (limit 1) or MAX_PER n (limit n): at most `limit` instances per value. */
export interface PerValueConstraint {
  readonly constraint: Constraint;
  readonly field: string;
  readonly limit: number;
}

/** GROUP_BY, spreading instances evenly over at most `values` values (all values if undefined). */
export interface GroupByConstraint {
  readonly constraint: Constraint;
  readonly field: string;
  readonly values: number | undefined;
}

/** An app's or run's constraints, ready for placement. */
export interface CompiledConstraints {
  readonly list: readonly Constraint[];
  readonly statics: readonly StaticConstraint[];
  readonly perValue: readonly PerValueConstraint[];
  /** CLUSTER without a value: the first placement fixes the value. */
  readonly cluster: readonly { constraint: Constraint; field: string }[];
  readonly groupBy: readonly GroupByConstraint[];
  /** Fields whose per-value instance counts placement must track. */
  readonly countedFields: readonly string[];
}

/** Compiles constraints already validated by the app/job schema. */
export function compileConstraints(list: readonly Constraint[]): CompiledConstraints {
  const statics: StaticConstraint[] = [];
  const perValue: PerValueConstraint[] = [];
  const cluster: { constraint: Constraint; field: string }[] = [];
  const groupBy: GroupByConstraint[] = [];
  for (const c of list) {
    const [field, op, value] = c;
    switch (op) {
      case "IS":
        statics.push(staticOf(c, (v) => v !== undefined && valuesEqual(value ?? "", v)));
        break;
      case "CLUSTER":
        if (value === undefined) cluster.push({ constraint: c, field });
        else statics.push(staticOf(c, (v) => v !== undefined && valuesEqual(value, v)));
        break;
      case "LIKE": {
        const re = wholeString(value ?? "");
        statics.push(staticOf(c, (v) => v !== undefined && re.test(v)));
        break;
      }
      case "UNLIKE": {
        const re = wholeString(value ?? "");
        statics.push(staticOf(c, (v) => v === undefined || !re.test(v)));
        break;
      }
      case "UNIQUE":
        perValue.push({ constraint: c, field, limit: 1 });
        break;
      case "MAX_PER":
        perValue.push({ constraint: c, field, limit: Number(value) });
        break;
      case "GROUP_BY":
        groupBy.push({ constraint: c, field, values: value === undefined ? undefined : Number(value) });
        break;
    }
  }
  const countedFields = [
    ...new Set([
      ...perValue.map((p) => p.field),
      ...cluster.map((c) => c.field),
      ...groupBy.map((g) => g.field),
    ]),
  ];
  return { list, statics, perValue, cluster, groupBy, countedFields };
}

/**
 * Metronome job constraints (`{attribute, operator: IS|EQ|LIKE|UNLIKE, value}`) as app-style
 * constraints; EQ is IS.
 */
export function fromJobConstraints(
  list: readonly { attribute: string; operator: string; value?: string | undefined }[],
): Constraint[] {
  return list.map((c) => {
    const op =
      c.operator.toUpperCase() === "EQ" ? "IS" : (c.operator.toUpperCase() as "IS" | "LIKE" | "UNLIKE");
    return [c.attribute, op, c.value ?? ""] as const;
  });
}

/** `[zone, IS, eu-1]`, the form explanations quote. */
export function describeConstraint(c: Constraint): string {
  return `[${c.join(", ")}]`;
}

/**
 * Equality for IS and CLUSTER: same text, or both numbers of equal value (a scalar attribute
 * `2` matches `"2.0"`).
 */
export function valuesEqual(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  return NUMERIC.test(expected) && NUMERIC.test(actual) && Number(expected) === Number(actual);
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

function wholeString(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}

function staticOf(constraint: Constraint, test: (v: string | undefined) => boolean): StaticConstraint {
  // Clusters have few distinct attribute values, so remembering each answer makes a regex
  // cost one evaluation per value rather than one per node and placement.
  const memo = new Map<string, boolean>();
  let missing: boolean | undefined;
  return {
    constraint,
    field: constraint[0],
    allows(value) {
      if (value === undefined) {
        missing ??= test(undefined);
        return missing;
      }
      let answer = memo.get(value);
      if (answer === undefined) {
        answer = test(value);
        memo.set(value, answer);
      }
      return answer;
    },
  };
}
