// Why a partition is not linearizable, in terms a person can check against the history: the
// longest order the search could build, the state it leads to, and the operations that could
// come next there, none of which can.

import type { Operation } from './history';
import type { Model } from './model';
import type { PartitionOp } from './partition';
import type { Deepest } from './search';
import type { ValueAnomaly } from './value-anomalies';

export interface ExplainedOperation<I, O> {
  /** Position in the history given to the checker. */
  readonly index: number;
  readonly operation: Operation<I, O>;
  readonly description: string;
}

export interface Explanation<S, I, O> {
  /** 'no-legal-order': the search tried every order. The others were found without a search
   *  (see value-anomalies.ts), so the prefix is empty: 'value-never-written', a read returned a
   *  value nobody wrote; 'value-overwritten', a read returned a value overwritten before its call. */
  readonly cause: 'no-legal-order' | ValueAnomaly<I, O>['cause'];
  /** The longest order of this key's operations that the search found legal, in order. It is
   *  one of possibly several; every other order got stuck no later. */
  readonly longestLinearizedPrefix: readonly ExplainedOperation<I, O>[];
  /** The model states after that prefix (one unless the model is nondeterministic). */
  readonly stateAfterPrefix: readonly S[];
  /** The first operation, by return time, left out of the prefix: it must be linearized before
   *  any operation called after it returned, yet cannot be. */
  readonly blocking: ExplainedOperation<I, O>;
  /** The operations involved. After a search: those that could go next after the prefix
   *  (blocking included), each illegal in that state. Otherwise: the read, and for
   *  'value-overwritten' the writer and the overwriter before it. */
  readonly candidates: readonly ExplainedOperation<I, O>[];
  readonly message: string;
}

/** Prefix operations shown in the message; the explanation itself holds all of them. */
export const MESSAGE_PREFIX_SHOWN = 10;

export function explain<S, I, O>(key: string, ops: readonly PartitionOp<I, O>[], deepest: Deepest<S>,
  model: Model<S, I, O>): Explanation<S, I, O> {
  const describe = (p: PartitionOp<I, O>): ExplainedOperation<I, O> =>
    ({ index: p.index, operation: p.op, description: describeOperation(p, model) });
  const inPrefix = new Set(deepest.order);
  const remaining = ops.filter((p) => !inPrefix.has(p.id));
  const blocking = remaining.reduce((a, b) => (b.returnTime < a.returnTime ? b : a));
  const candidates = remaining.filter((p) =>
    p.callTime <= blocking.returnTime && p.mustFollow.every((id) => inPrefix.has(id)));
  const prefix = deepest.order.map((id) => describe(ops[id]));
  const explanation = {
    cause: 'no-legal-order' as const,
    longestLinearizedPrefix: prefix,
    stateAfterPrefix: deepest.states,
    blocking: describe(blocking),
    candidates: candidates.map(describe),
  };
  return { ...explanation, message: formatMessage(key, ops.length, explanation, model) };
}

export function explainValueAnomaly<S, I, O>(key: string, anomaly: ValueAnomaly<I, O>, initial: S,
  model: Model<S, I, O>): Explanation<S, I, O> {
  const describe = (p: PartitionOp<I, O>): ExplainedOperation<I, O> =>
    ({ index: p.index, operation: p.op, description: describeOperation(p, model) });
  const read = describe(anomaly.read);
  const involved = anomaly.cause === 'value-never-written' ? [read] : [describe(anomaly.writer), describe(anomaly.overwriter), read];
  const why = anomaly.cause === 'value-never-written'
    ? 'a read returned a value that no operation wrote and the key did not hold at the start:'
    : 'a read returned a value overwritten before it was called (the writer returned, then the overwriter was called and returned, then the read was called):';
  const message = [`key ${key}: not linearizable`, why, ...involved.map((o) => `  ${o.description}`)].join('\n');
  return {
    cause: anomaly.cause, longestLinearizedPrefix: [], stateAfterPrefix: [initial], blocking: read, candidates: involved, message,
  };
}

function describeOperation<I, O>(p: PartitionOp<I, O>, model: Model<unknown, I, O>): string {
  const { op } = p;
  const returned = Number.isFinite(p.returnTime) ? String(op.returnMs) : 'never';
  const mode = op.consistency === 'sequential' ? ' (sequential read)' : '';
  return `#${p.index} client ${op.clientId} [${op.callMs}, ${returned}]${mode} ${model.describeOperation(op.input, op.output)}`;
}

function formatMessage<S, I, O>(key: string, total: number,
  e: Omit<Explanation<S, I, O>, 'message'>, model: Model<S, I, O>): string {
  const prefix = e.longestLinearizedPrefix;
  const shown = prefix.slice(-MESSAGE_PREFIX_SHOWN);
  const lines = [
    `key ${key}: not linearizable`,
    `longest linearizable prefix: ${prefix.length} of ${total} operations${prefix.length > shown.length ? `, last ${shown.length}:` : ':'}`,
    ...shown.map((o) => `  ${o.description}`),
    `state after it: ${e.stateAfterPrefix.map((s) => model.describeState(s)).join(' | ')}`,
    `no operation can go next; each of these is illegal in that state:`,
    ...e.candidates.map((o) => `  ${o.description}`),
    `blocking (must precede everything called after it returned): ${e.blocking.description}`,
  ];
  return lines.join('\n');
}
