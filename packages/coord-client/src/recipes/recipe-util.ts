// Helpers shared by the recipes.
import { randomUUID } from 'node:crypto';
import type { CoordClient } from '../client';
import { CoordError, hasCode } from '../errors';
import { joinPath, sequenceOf } from '../path';
import type { CreateMode, Data } from '../types';

/** Attempts a protected create makes before it gives up on a flapping connection. */
export const PROTECTED_CREATE_ATTEMPTS = 10;

/** Curator: ProtectedUtils — the marker that lets a client find its own node after a lost reply. */
export const PROTECTED_PREFIX = '_c_';

export function newGuid(): string {
  return randomUUID();
}

/**
 * Creates `dir/_c_<guid>-<name>` (sequential modes append the number). If the reply is lost
 * (ConnectionLoss) the create may or may not have applied, so after reconnecting it looks for a
 * child carrying its GUID before trying again. Curator: CreateBuilder.withProtection.
 */
export async function protectedCreate(client: CoordClient, dir: string, name: string, guid: string, data: Data | undefined, mode: CreateMode): Promise<string> {
  const prefix = `${PROTECTED_PREFIX}${guid}-`;
  for (let attempt = 1; attempt <= PROTECTED_CREATE_ATTEMPTS; attempt++) {
    try {
      if (attempt > 1) {
        await client.whenConnected();
        const found = (await client.getAllChildren(dir)).find((child) => child.startsWith(prefix));
        if (found) return joinPath(dir, found);
      }
      return await client.create(joinPath(dir, prefix + name), data, { mode });
    } catch (err) {
      if (!hasCode(err, 'CONNECTION_LOSS')) throw err;
    }
  }
  throw new CoordError('CONNECTION_LOSS', { path: dir, detail: `protected create failed ${PROTECTED_CREATE_ATTEMPTS} times` });
}

/** Children of a recipe directory that carry `marker` and a sequence number, lowest first. */
export function sortBySequence(children: string[], marker: string): string[] {
  return children
    .filter((c) => c.includes(marker) && sequenceOf(c) !== null)
    .sort((a, b) => (sequenceOf(a) as number) - (sequenceOf(b) as number) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface WaitOptions {
  deadlineMs?: number;
  signal?: AbortSignal;
  path?: string;
}

/** Waits for `promise`, failing with OPERATION_TIMEOUT at the deadline or with the abort reason. */
export function waitUntil<T>(promise: Promise<T>, opts: WaitOptions): Promise<T> {
  const { deadlineMs, signal } = opts;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (deadlineMs === undefined && !signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const leftMs = deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - Date.now());
    const timer = leftMs === undefined ? undefined : setTimeout(() => settle(() => reject(timeoutError(opts.path))), leftMs);
    const onAbort = (): void => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    function settle(fn: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    }
    promise.then((v) => settle(() => resolve(v)), (err: unknown) => settle(() => reject(err)));
  });
}

export function timeoutError(path?: string): CoordError {
  return new CoordError('OPERATION_TIMEOUT', { path, detail: 'timed out' });
}

/** Throws if the deadline has passed or the signal fired. */
export function checkDeadline(opts: WaitOptions): void {
  if (opts.signal?.aborted) throw opts.signal.reason;
  if (opts.deadlineMs !== undefined && Date.now() >= opts.deadlineMs) throw timeoutError(opts.path);
}

/** Deletes a node, treating "already gone" as done. */
export async function deleteIfExists(client: CoordClient, path: string): Promise<void> {
  try {
    await client.delete(path);
  } catch (err) {
    if (!hasCode(err, 'NO_NODE')) throw err;
  }
}

/**
 * Runs `step` again after a ConnectionLoss once the client has reconnected (bounded by the
 * deadline); other errors, SessionExpired among them, propagate.
 */
export async function retryOnConnectionLoss<T>(client: CoordClient, opts: WaitOptions, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!hasCode(err, 'CONNECTION_LOSS') || attempt >= PROTECTED_CREATE_ATTEMPTS) throw err;
      await waitUntil(client.whenConnected(), opts);
    }
  }
}
