// @ensemble/linearizability: checks histories recorded by concurrent clients of the
// coordination service for linearizability (Wing & Gong search with Lowe's memoisation,
// partitioned per key, as Porcupine does). Pure: no I/O, no clock, no randomness. See README.md.

export {
  type Consistency, type History, type Operation, type SavedHistory, type SavedOperation,
  type ZnodeErrorCode, type ZnodeInput, type ZnodeOutput, type ZnodeState,
  HISTORY_FORMAT, historyFromJson, historyToJson, validateOperation, znodeInput, znodeOutput,
} from './history';
export { HistoryRecorder, type HistoryRecorderOptions, type RecordToken } from './history-recorder';
export type { Model, ModelValues } from './model';
export { ABSENT, applyZnode, createZnodeModel, type ZnodeModelOptions, znodeModel } from './znode-model';
export {
  type CheckOptions, type CheckResult, type CheckStats, MAX_STEPS_DEFAULT, checkHistoryJson, checkLinearizable,
} from './checker';
export type { ExplainedOperation, Explanation } from './explanation';
export { type Partition, type PartitionOp, partitionByKey } from './partition';
export type { BudgetLimit } from './step-budget';
export type { ValueAnomaly } from './value-anomalies';
export { AssertionError } from './assert';
