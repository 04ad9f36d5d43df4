/**
 * The system's Chromium for browser tests, driven by playwright-core (which downloads no browser
 * of its own). `.ci/run` installs Debian's `chromium` when it is missing; elsewhere, install it or
 * point CHROMIUM_PATH at a Chromium or Chrome binary.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The path of the Chromium to drive; throws a message that says how to get one. */
export function chromiumPath(): string {
  const chosen = process.env.CHROMIUM_PATH ?? CANDIDATES.find((candidate) => existsSync(candidate));
  if (chosen === undefined || !existsSync(chosen)) {
    throw new Error("Browser tests need Chromium: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.");
  }
  return chosen;
}

/** Launches headless Chromium (no sandbox: CI runs as root in a container). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"], headless: true });
}
