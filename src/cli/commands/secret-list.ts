/** `dosim secret list`: the names and types of the deployed version's secrets (never their values), as JSON or `--format pretty`. */
import type { Command } from "commander";
import { type AccountClient } from "../account-client.js";
import { InputError } from "../exit-codes.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** A secret as the API lists it. */
export interface ApiSecret {
  readonly name: string;
  readonly type: "secret_text";
}

/** Prints the secrets in wrangler's formats. */
export async function secretList(client: AccountClient, flags: { format?: string }, io: VerbIo): Promise<ApiSecret[]> {
  const format = flags.format ?? "json";
  if (format !== "json" && format !== "pretty") throw new InputError("invalid-input", `--format ${format} is not a format; use json or pretty.`);
  const secrets = await client.call<ApiSecret[]>("GET", "/secrets");
  if (format === "pretty") for (const secret of secrets) io.out(`Secret Name: ${secret.name}\n`);
  else io.out(JSON.stringify(secrets, null, "  "));
  return secrets;
}

/** Registers `secret list`. */
export function registerSecretList(program: Command): void {
  subcommand(program, ["secret"], "list")
    .description("List all secrets for a Worker (names only)")
    .option("--format <format>", "The format to print the secrets in: json or pretty", "json")
    .action((flags: StateFlags & { format?: string }) => runVerb(async (io) => void (await secretList(await connectFor(flags), flags, io))));
}
