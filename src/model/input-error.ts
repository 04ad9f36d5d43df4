/**
 * The error thrown for input dosim cannot use. Every layer raises it (the model's callers, the
 * runtime, the scenario runner, the dev server, the CLI), so it lives here at the bottom; the CLI
 * turns it into one line on stderr and exit code 2.
 */
import type { DosimError } from "./errors.js";

/** An input problem, with a stable code and a one-line message that says what to do. */
export class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }

  /** The input error for a refusal the model made (a bad spec, a bad percentage...). */
  static from(error: DosimError): InputError {
    return new InputError(error.code, error.message);
  }
}
