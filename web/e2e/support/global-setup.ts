import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ensureWebBuild } from "../../tools/build-if-stale";
import { chromiumPath } from "./paths";
import { startStack } from "./stack";

export interface EndToEndContext {
  /** Why the suite cannot run here; the tests skip with this reason. */
  skip: string | null;
  url: string;
  adminToken: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: EndToEndContext;
  }
}

/** Builds the dashboard if needed and starts one stack that every end-to-end file shares. */
export default async function setup(project: TestProject) {
  if (!existsSync(chromiumPath)) {
    const skip = `${chromiumPath} is not installed (Debian: apt-get install chromium), so the browser tests cannot run`;
    console.warn(`\nweb end-to-end tests skipped: ${skip}\n`);
    project.provide("e2e", { skip, url: "", adminToken: "" });
    return;
  }
  await ensureWebBuild();
  const stack = await startStack();
  project.provide("e2e", { skip: null, url: stack.url, adminToken: stack.adminToken });
  return () => stack.stop();
}
