import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["gateway/test/**/*.test.ts", "inference/test/**/*.test.ts"],
    // The WASM schema engine is an ESM wasm import.
    execArgv: ["--experimental-wasm-modules", "--no-warnings=ExperimentalWarning"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
