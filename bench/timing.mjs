// Shared timing helpers for the benchmarks. Rounds interleave the contenders so that noise from
// the shared machine falls on all of them alike; results are reported as ratios.

/** Runs every function `rounds` times, interleaved, and returns their durations in ms. */
export function timeRounds(rounds, functions) {
  const samples = Object.fromEntries(Object.keys(functions).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(functions)) {
      const start = performance.now();
      fn();
      samples[name].push(performance.now() - start);
    }
  }
  return samples;
}

/** Same, for async functions. */
export async function timeRoundsAsync(rounds, functions) {
  const samples = Object.fromEntries(Object.keys(functions).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(functions)) {
      const start = performance.now();
      await fn();
      samples[name].push(performance.now() - start);
    }
  }
  return samples;
}

/** The median of some numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints the figures as `name: value` lines, two decimals for ratios. */
export function report(figures) {
  for (const [name, value] of Object.entries(figures)) {
    console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)}`);
  }
}
