import path from "node:path";
import { fileURLToPath } from "node:url";

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const repoRoot = path.resolve(webRoot, "..");
/** Git-ignored; CI can keep it as an artifact. */
export const artifactsDir = path.join(webRoot, "test-artifacts");
/** One PNG per page the end-to-end tests visit. */
export const screenshotsDir = path.join(artifactsDir, "screenshots");
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
