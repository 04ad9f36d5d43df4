// Version A: the count alone.
import { counterClass } from "./counter.js";
export { default } from "./counter.js";
export const Counter = counterClass({});
