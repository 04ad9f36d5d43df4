/** `dosim fuzz`: generated rollouts, checked on workerd, shrunk and written as scenario files. */
export { fuzz, type FuzzFinding, type FuzzOptions, type FuzzResult } from "./fuzz.js";
export { probeCount } from "./probe.js";
export { resolveTarget, type FuzzTarget, type TargetFlags } from "./target.js";
export { countJson } from "./oracle.js";
