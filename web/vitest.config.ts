import { createRequire } from "node:module";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// Run from the repository root as `vitest run --config web/vitest.config.ts` (part of `npm test`).
export default defineConfig({
  root: import.meta.dirname,
  test: {
    projects: [
      {
        plugins: [react()],
        test: {
          name: "components",
          root: import.meta.dirname,
          include: ["test/unit/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
        },
      },
      {
        // As in the root config: Vite would give our `import "graphql"` the ESM build while the
        // codegen packages, loaded by Node, get the CommonJS one, and graphql refuses to mix them.
        resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
        test: {
          name: "tools",
          root: import.meta.dirname,
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          root: import.meta.dirname,
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          // One browser and one gateway for the whole suite, shared by the files in order.
          globalSetup: ["e2e/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
