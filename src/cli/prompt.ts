/**
 * Questions the verbs ask on a terminal (which versions, what percentages, a message, a
 * confirmation), behind an interface so tests can answer them. Asked only when stdin and stdout
 * are terminals and CI is not set; elsewhere the verbs use their flags and defaults.
 */
import { createInterface } from "node:readline";

/** Answers questions. */
export interface Prompter {
  /** A line of text; an empty answer takes `defaultValue`. */
  text(question: string, defaultValue?: string): Promise<string>;
  /** Yes or no; an empty answer takes `defaultValue`. */
  confirm(question: string, defaultValue: boolean): Promise<boolean>;
  /** A secret, not echoed. */
  secret(question: string): Promise<string>;
  close(): void;
}

/** True when the verbs may ask questions. */
export function canPrompt(): boolean {
  const ci = process.env["CI"];
  return process.stdin.isTTY === true && process.stdout.isTTY === true && (ci === undefined || ci === "" || ci === "0" || ci === "false");
}

/** A prompter over Node's readline on the given streams. */
export function readlinePrompter(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Prompter {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const ask = (question: string): Promise<string> => new Promise((resolve) => rl.question(question, resolve));
  // A secret's keystrokes are not echoed: readline writes what is typed through this method.
  let muted = false;
  const internals = rl as unknown as { _writeToOutput?: (text: string) => void };
  const writeToOutput = internals._writeToOutput?.bind(rl);
  if (writeToOutput !== undefined) {
    internals._writeToOutput = (text: string) => {
      if (!muted) writeToOutput(text);
    };
  }
  return {
    async text(question, defaultValue) {
      const hint = defaultValue !== undefined && defaultValue !== "" ? ` (${defaultValue})` : "";
      const answer = (await ask(`? ${question}${hint} `)).trim();
      return answer === "" ? (defaultValue ?? "") : answer;
    },
    async confirm(question, defaultValue) {
      for (;;) {
        const answer = (await ask(`? ${question} ${defaultValue ? "(Y/n)" : "(y/N)"} `)).trim().toLowerCase();
        if (answer === "") return defaultValue;
        if (["y", "yes"].includes(answer)) return true;
        if (["n", "no"].includes(answer)) return false;
      }
    },
    async secret(question) {
      output.write(`? ${question} `);
      muted = true;
      try {
        return await ask("");
      } finally {
        muted = false;
        output.write("\n");
      }
    },
    close: () => rl.close(),
  };
}

/**
 * A confirmation as wrangler asks it: on a terminal the user answers; with no one to ask (not a
 * terminal, CI, or `--yes`) it prints the question and takes `fallback`, as wrangler's `confirm`
 * does in a non-interactive context.
 */
export async function confirmOrFallback(prompter: Prompter | undefined, io: { out: (text: string) => void }, question: string, fallback: boolean): Promise<boolean> {
  if (prompter !== undefined) return prompter.confirm(question, fallback);
  io.out(`? ${question}`);
  io.out(`🤖 Using fallback value in non-interactive context: ${fallback ? "yes" : "no"}`);
  return fallback;
}
