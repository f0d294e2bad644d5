// Seeded randomness for the tests: the simulator's PRNG (mulberry32 seeded through splitmix32), so a
// failing seed replays.
export { Prng } from '@ensemble/consensus';
