// Every limit of the coordination service in one place (STYLE.md: a limit on everything, each
// with a clear error). Defaults follow ZooKeeper where it has one (jute.maxbuffer = 1 MiB data).

export interface Limits {
  /** Largest znode data; over it: TOO_LARGE. */
  maxDataBytes: number;
  /** Longest path, in UTF-8 bytes; over it: TOO_LARGE. */
  maxPathBytes: number;
  /** Most children in one getChildren answer when the caller did not ask for a page. */
  maxChildrenPerResponse: number;
  /** Most ops in one multi. */
  maxMultiOps: number;
  /** Most watches one session may hold. */
  maxWatchesPerSession: number;
  /** Most live sessions on the ensemble. */
  maxSessions: number;
  /** Most requests a session may have in flight before it gets THROTTLED_OP. */
  maxOutstandingPerSession: number;
  /** Largest gRPC message the server accepts. */
  maxRequestBytes: number;
  /** Messages queued on one client stream before the server drops that connection. */
  maxQueuedMessagesPerStream: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDataBytes: 1024 * 1024,
  maxPathBytes: 4096,
  maxChildrenPerResponse: 100_000,
  maxMultiOps: 1000,
  maxWatchesPerSession: 100_000,
  maxSessions: 60_000,
  maxOutstandingPerSession: 10_000,
  maxRequestBytes: 1024 * 1024 + 64 * 1024,
  maxQueuedMessagesPerStream: 50_000,
};
