/** The CLI's exit codes, shared by every command. */
export const EXIT = Object.freeze({
  /** Everything ran and every expectation held. */
  ok: 0,
  /** The run worked, but an expectation failed or the platform refused an operation. */
  failed: 1,
  /** The input could not be used (bad flags, bad spec, unreadable file). */
  invalidInput: 2,
  /** dosim itself failed (a bug to report); what could still run was reported. */
  internal: 3,
});

/**
 * The input error every layer raises lives with the model's error values; the commands import it
 * from here together with {@link EXIT}.
 */
export { InputError } from "../model/input-error.js";
