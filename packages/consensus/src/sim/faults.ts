// Faults as data (TigerBeetle VOPR, FoundationDB simulation): every kind of trouble the
// simulator injects, with rates per time unit, per message or per persisted Ready.

export interface Faults {
  /** Probability that a message is lost. */
  lossRate: number;
  /** Probability that a message is delivered twice. */
  duplicateRate: number;
  /** Delivery delay bounds in time units; a wide range reorders messages. */
  delayMinUnits: number;
  delayMaxUnits: number;
  /** Per time unit, while the network is whole: a partition starts. */
  partitionRate: number;
  /** Per time unit, while partitioned: the partition heals. */
  healRate: number;
  /** Share of partitions that are one-way (a node hears but is not heard, or the reverse). */
  asymmetricShare: number;
  /** Per time unit: a running node crashes (losing whatever it had not fsynced). */
  crashRate: number;
  /** Per Ready in which a leader commits: it crashes right after (fault injection where it hurts). */
  leaderCommitCrashRate: number;
  /** Per crash: the machine lost power, so the node's messages still in flight are lost too. */
  powerLossShare: number;
  /** Per time unit: a crashed node restarts from its disk. */
  restartRate: number;
  /** Time units an fsync may take; the node keeps working meanwhile (0: synchronous writes). */
  fsyncDelayMaxUnits: number;
  /** Per persisted Ready: the node crashes mid-write, keeping only a prefix of the batch. */
  tornWriteRate: number;
  /** Per time unit: a node that believes it leads is asked to hand leadership over. */
  transferRate: number;
  /** Per node tick: the tick is skipped or doubled (clock drift). */
  clockDriftRate: number;
  /** Applied entries after which a node snapshots and compacts its log (0: never). */
  compactEveryEntries: number;
}

export const CALM: Faults = {
  lossRate: 0, duplicateRate: 0, delayMinUnits: 1, delayMaxUnits: 2,
  partitionRate: 0, healRate: 1, asymmetricShare: 0,
  crashRate: 0, leaderCommitCrashRate: 0, powerLossShare: 0, restartRate: 1, fsyncDelayMaxUnits: 0, tornWriteRate: 0, transferRate: 0, clockDriftRate: 0,
  compactEveryEntries: 0,
};

const PROFILES: Record<string, Faults> = {
  calm: { ...CALM, compactEveryEntries: 40 },
  lossy: { ...CALM, fsyncDelayMaxUnits: 1, lossRate: 0.15, duplicateRate: 0.05, delayMaxUnits: 12, clockDriftRate: 0.05, compactEveryEntries: 25 },
  partitions: {
    ...CALM, fsyncDelayMaxUnits: 1, lossRate: 0.02, delayMaxUnits: 6, partitionRate: 0.01, healRate: 0.01, asymmetricShare: 0.4,
    transferRate: 0.002, compactEveryEntries: 20,
  },
  crashes: {
    ...CALM, lossRate: 0.02, delayMaxUnits: 5, crashRate: 0.006, leaderCommitCrashRate: 0.01, powerLossShare: 0.5,
    restartRate: 0.02, fsyncDelayMaxUnits: 3, tornWriteRate: 0.01,
    compactEveryEntries: 15,
  },
  chaos: {
    lossRate: 0.08, duplicateRate: 0.04, delayMinUnits: 1, delayMaxUnits: 10,
    partitionRate: 0.008, healRate: 0.015, asymmetricShare: 0.4,
    crashRate: 0.004, leaderCommitCrashRate: 0.005, powerLossShare: 0.5, restartRate: 0.02,
    fsyncDelayMaxUnits: 2, tornWriteRate: 0.01, transferRate: 0.003, clockDriftRate: 0.05,
    compactEveryEntries: 12,
  },
  /** Leaders come and go all the time: what it takes to reach Raft's Figure 8 histories. */
  churn: {
    lossRate: 0.1, duplicateRate: 0.02, delayMinUnits: 1, delayMaxUnits: 8,
    partitionRate: 0.02, healRate: 0.05, asymmetricShare: 0.3,
    crashRate: 0.03, leaderCommitCrashRate: 0.03, powerLossShare: 0.5, restartRate: 0.08,
    fsyncDelayMaxUnits: 3, tornWriteRate: 0.05, transferRate: 0.005, clockDriftRate: 0.05,
    compactEveryEntries: 10,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

export function faultProfile(name: string): Faults | undefined {
  const profile = PROFILES[name];
  return profile === undefined ? undefined : { ...profile };
}

/** The profile a seed runs with when none is named: seeds cycle through all of them. */
export function profileForSeed(seed: number): string {
  return PROFILE_NAMES[Math.abs(seed) % PROFILE_NAMES.length] as string;
}
