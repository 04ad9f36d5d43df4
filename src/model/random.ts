/**
 * Seeded randomness for hosts. The model never calls Math.random: a host builds one source from
 * the run's seed and passes it in, so a run is a function of (scenario, seed).
 *
 * The Alea generator is imported from its own file on purpose: seedrandom's index pulls in an
 * optional `require("crypto")`, which a neutral bundle for workerd must not contain.
 */
import type seedrandom from "seedrandom";
// @ts-expect-error seedrandom ships no types for its per-algorithm files; typed just below.
import aleaModule from "seedrandom/lib/alea.js";

const alea = aleaModule as seedrandom["alea"];

/** A source of numbers in [0, 1), like Math.random but injected. */
export type RandomSource = () => number;

/** A reproducible source of numbers in [0, 1) (Alea, 32 bits per draw) for `seed`. */
export function createRandom(seed: string): RandomSource {
  const prng = alea(seed);
  return () => prng();
}

/** Formats byte `value` as two lowercase hex digits. */
function hexByte(value: number): string {
  return (value & 0xff).toString(16).padStart(2, "0");
}

/**
 * A version-4 UUID (RFC 4122 layout: version nibble 4, variant bits 10) built from 16 draws of
 * `random`, so version and deployment ids are reproducible from a seed.
 */
export function randomUuid(random: RandomSource): string {
  let hex = "";
  for (let index = 0; index < 16; index++) {
    let byte = Math.floor(random() * 256) & 0xff;
    if (index === 6) byte = (byte & 0x0f) | 0x40;
    if (index === 8) byte = (byte & 0x3f) | 0x80;
    hex += hexByte(byte);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
