import { chromium, type Browser } from "playwright-core";
import { chromiumPath } from "./paths";

// No DOM types here: the benches (type-checked with the gateway's Node-only settings) launch the
// browser the end-to-end tests do from this module.

/**
 * Debian's Chromium, headless. The network flags keep it from calling Google's services, which
 * this closed network refuses (slowly, and many times over); --no-sandbox because CI runs as root.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
