// Splitting the messages of one turn into Session-stream batches (ClientBatch, ServerBatch). A
// batch must stay well under the receiver's message size limit (the server takes requests of
// about 1 MiB, a client responses of 4 MiB by default), so batches are cut by an estimate of their
// encoded size; a message bigger than the cap travels alone, exactly as it would unbatched.

/** Bytes of a message as encoded, roughly: its buffers and strings, plus a little per field. */
export function approxWireBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object') return 8;
  if (value instanceof Uint8Array) return value.byteLength + 4;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) total += approxWireBytes(item);
    return total;
  }
  for (const key in value) total += 1 + approxWireBytes((value as Record<string, unknown>)[key]);
  return total;
}

/** Consecutive runs of `messages` whose estimated size stays within `maxBytes` (order kept). */
export function splitIntoBatches<T>(messages: readonly T[], maxBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = approxWireBytes(message);
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
