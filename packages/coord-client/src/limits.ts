// Every limit the client applies, in one place (STYLE.md: a limit on everything, with a clear error).

/** Requests outstanding (sent and unanswered, or waiting for a connection) per client. */
export const MAX_OUTSTANDING_REQUESTS_DEFAULT = 10_000;
/** Total path bytes per SetWatches request. ZooKeeper: ClientCnxn SET_WATCHES_MAX_LENGTH. */
export const SET_WATCHES_MAX_BYTES = 128 * 1024;
/** Events a watch iterator buffers for a slow consumer before it fails. */
export const WATCH_ITERATOR_BUFFER_MAX = 10_000;
/** Children asked for per page by getAllChildren. */
export const CHILDREN_PAGE_SIZE = 1000;
/** Children getAllChildren collects before it gives up. */
export const MAX_ALL_CHILDREN = 1_000_000;
/** How long close() waits for the server to confirm. */
export const CLOSE_TIMEOUT_MS_MAX = 5000;
/** Smallest period of the ping/liveness check. */
export const LIVENESS_TICK_MS_MIN = 20;
/** How long a closed session's stream waits for the server's final status before it is cancelled. */
export const CLOSE_GRACE_MS = 1000;
/** Estimated bytes of one ClientBatch: far below the server's request limit (about 1 MiB). */
export const CLIENT_BATCH_BYTES_MAX = 256 * 1024;
/** Largest message the client takes from a server (a 1 MiB znode and its stat fit many times over). */
export const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;
