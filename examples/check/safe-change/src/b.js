// Version B: the count and a unit; storage and requests are unchanged.
import { counterClass } from "./counter.js";
export { default } from "./counter.js";
export const Counter = counterClass({ unit: "visits" });
