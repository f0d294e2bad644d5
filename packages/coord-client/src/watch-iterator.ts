// An async iterator over the events of one persistent watch.
import { CoordError } from './errors';
import { WATCH_ITERATOR_BUFFER_MAX } from './limits';
import type { WatchEvent } from './types';

type Waiter = { resolve(r: IteratorResult<WatchEvent>): void; reject(err: unknown): void };

/**
 * Yields watch events in the order the server sent them. Ends (done) when the client closes or
 * the watch is removed; fails with the error when the session expires or the watch could not be
 * set. Breaking out of a `for await` loop removes the watch.
 */
export class WatchIterator implements AsyncIterableIterator<WatchEvent> {
  /** Resolves once the server has the watch; rejects if it could not be set. */
  readonly ready: Promise<void>;
  private readonly buffer: WatchEvent[] = [];
  private readonly waiters: Waiter[] = [];
  private finished = false;
  private error: unknown = null;
  private closing: Promise<void> | null = null;

  constructor(ready: Promise<void>, private readonly onClose: () => Promise<void>, private readonly bufferMax = WATCH_ITERATOR_BUFFER_MAX) {
    this.ready = ready;
    // The failure reaches the consumer through next(); this keeps it from being reported unhandled.
    ready.catch((err: unknown) => this.fail(err));
  }

  /** Delivers one event (called by the client). */
  push(event: WatchEvent): void {
    if (this.finished) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve({ value: event, done: false });
    if (this.buffer.length >= this.bufferMax) {
      this.fail(new CoordError('SYSTEM_ERROR', { path: event.path, detail: `watch iterator buffer overflow: ${this.buffer.length} events unread` }));
      void this.close();
      return;
    }
    this.buffer.push(event);
  }

  /** Ends the iteration after the buffered events. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
  }

  /** Ends the iteration with an error after the buffered events. */
  fail(err: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.error = err;
    const waiters = this.waiters.splice(0);
    if (waiters.length > 0) this.error = null;
    for (const w of waiters) w.reject(err);
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    const event = this.buffer.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.finished) {
      const err = this.error;
      this.error = null;
      return err ? Promise.reject(err) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Takes every event buffered so far without waiting (lets a consumer coalesce a burst). */
  takeBuffered(): WatchEvent[] {
    return this.buffer.splice(0);
  }

  async return(): Promise<IteratorResult<WatchEvent>> {
    await this.close();
    return { value: undefined, done: true };
  }

  /** Stops the iteration and removes the watch. */
  close(): Promise<void> {
    this.buffer.length = 0;
    this.end();
    this.closing ??= this.onClose();
    return this.closing;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this;
  }
}
