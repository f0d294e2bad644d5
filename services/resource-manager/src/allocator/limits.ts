// Every limit and default of the allocator in one place (STYLE.md: a limit on everything, each
// with a clear error). Defaults follow Mesos where it has one.

import { MIB, ScalarQuantities } from './resources';

export interface AllocatorLimits {
  /** Most registered agents; over it addAgent answers LIMIT_EXCEEDED. */
  agentsMax: number;
  /** Most registered frameworks; over it addFramework answers LIMIT_EXCEEDED. */
  frameworksMax: number;
  /** Longest agent, framework or role id. */
  idLengthMax: number;
  /** Most attributes on one agent. */
  attributesPerAgentMax: number;
  /** Longest refuse filter a decline may install (longer ones are capped to it). */
  refuseSecondsMax: number;
  /** Framework weights must lie in (0, weightMax]. */
  weightMax: number;
  /** Offers rescinded because their agent went away, remembered to answer AGENT_GONE. */
  goneOffersRememberedMax: number;
}

export const DEFAULT_ALLOCATOR_LIMITS: AllocatorLimits = {
  agentsMax: 100_000,
  frameworksMax: 10_000,
  idLengthMax: 256,
  attributesPerAgentMax: 64,
  refuseSecondsMax: 365 * 24 * 3600,
  weightMax: 1_000_000,
  goneOffersRememberedMax: 10_000,
};

/**
 * Smallest offer worth making: an agent's free resources are offered only when they hold at
 * least one of these alternatives. Mesos: --min_allocatable_resources="cpus:0.01|mem:32".
 */
export const DEFAULT_MIN_ALLOCATABLE: readonly Partial<ScalarQuantities>[] = Object.freeze([
  Object.freeze({ cpusMilli: 10 }),
  Object.freeze({ memBytes: 32 * MIB }),
]);

/** Mesos's default refuse_seconds when a framework declines without saying how long. */
export const DEFAULT_REFUSE_SECONDS = 5;
