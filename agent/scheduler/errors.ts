/**
 * The one error type of the scheduler library. It is thrown only for caller mistakes (a
 * malformed node, an offer answered twice, a launch that would over-commit a node); scheduling
 * outcomes such as "nothing fits" are data (pending explanations), never errors.
 */
export type SchedulerErrorCode =
  | "INVALID_NODE" // a node spec is malformed or its id is used twice
  | "UNKNOWN_NODE" // a node id that the inventory does not hold
  | "UNKNOWN_OFFER" // an offer id that is not outstanding (never made, answered, or rescinded)
  | "OFFER_OUTSTANDING" // a node already has an offer that has not been answered
  | "OVERCOMMIT" // an allocation does not fit the node's free resources or ports
  | "INVALID_ARGUMENT"; // anything else malformed that a caller passed

export class SchedulerError extends Error {
  override readonly name = "SchedulerError";
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
