import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would resolve our own `import "graphql"` to graphql's ESM build (its "module" field)
    // while Apollo and type-graphql, loaded by Node, get the CommonJS build: two copies whose
    // `instanceof GraphQLError` checks fail across each other. Node (and so `npm start`) loads one.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: [
      "gateway/test/**/*.test.ts",
      "inference/test/**/*.test.ts",
      "proto/test/**/*.test.ts",
      "proto/packages/*/test/**/*.test.ts",
    ],
    // The WASM schema engine is an ESM wasm import.
    execArgv: ["--experimental-wasm-modules", "--no-warnings=ExperimentalWarning"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Each worker keeps its modules between test files instead of importing the gateway's whole
    // module graph again for each of ~230 files (132 s of a 745-s run went to imports). Test files
    // share no state through modules: each starts its own gateway, database and data directory.
    isolate: false,
  },
});
