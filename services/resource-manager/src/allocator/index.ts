// The allocator: a pure core (no I/O, no clock, no randomness). See README.md.

export { Allocator } from './allocator';
export { DEFAULT_ALLOCATOR_LIMITS, DEFAULT_MIN_ALLOCATABLE, DEFAULT_REFUSE_SECONDS } from './limits';
export type { AllocatorLimits } from './limits';
export { FILTERS_PER_AGENT_MAX } from './offer-filters';
export {
  NO_PORTS,
  PORT_MAX,
  PORT_MIN,
  addPortRanges,
  containsPortRanges,
  isNormalisedPortRanges,
  normalisePortRanges,
  portCount,
  portRangesEqual,
  subtractPortRanges,
} from './port-ranges';
export type { PortRange } from './port-ranges';
export {
  EMPTY_RESOURCES,
  GIB,
  KIB,
  MIB,
  PORT_RANGES_MAX,
  RESOURCES_TEXT_LENGTH_MAX,
  SCALAR_KINDS,
  TIB,
  addResources,
  checkResources,
  containsResources,
  formatResources,
  isEmptyResources,
  makeResources,
  meetsMinimum,
  parseResources,
  resourcesEqual,
  subtractResources,
} from './resources';
export type { ParseResourcesResult, Resources, ResourcesInput, ResourcesResult, ScalarKind, ScalarQuantities } from './resources';
export type {
  AgentAttributes,
  AgentSpec,
  AgentState,
  AgentView,
  AllocatorErrorCode,
  AllocatorOptions,
  AllocatorStats,
  DeclineTarget,
  Failure,
  FrameworkSpec,
  FrameworkStats,
  Offer,
  Outcome,
  RemainderFilter,
} from './types';
