import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/generated/**",
      "**/dist/**",
      ".tessera/**",
      "web/test-artifacts/**",
      "web/src/gql/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A cycle lets load order decide which import is still undefined, and hides which layer
    // depends on which. Type-only imports are not followed (they vanish at run time); the tier's
    // layering below covers those too.
    files: ["gateway/**/*.ts", "inference/**/*.ts", "proto/**/*.ts", "web/src/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver()],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  // proto/packages/* come after proto: their own entries replace proto's for their files.
  ...[
    "gateway",
    "inference",
    "proto",
    "proto/packages/onnx",
    "proto/packages/seeded-random",
    "proto/packages/tracing",
  ].map((workspace) => ({
    // Each workspace declares what it imports; the root's devDependencies serve tests only.
    files: [`${workspace}/**/*.ts`],
    rules: {
      "import-x/no-extraneous-dependencies": [
        "error",
        { packageDir: [workspace, "."], includeTypes: true, devDependencies: [`${workspace}/test/**`] },
      ],
    },
  })),
  {
    // The gateway and the tier meet only in proto/ (@tessera/proto and the small shared packages
    // under proto/packages/): neither imports the other's files. Inside the tier, the transport
    // (kserve/) sits on the runtime.
    files: ["gateway/**/*.ts", "inference/**/*.ts"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "gateway/src", from: "inference" },
            { target: "inference", from: "gateway" },
            { target: "inference/src", from: "inference/test" },
            { target: "inference/src/runtime", from: "inference/src/kserve" },
          ],
        },
      ],
    },
  },
  {
    // The dashboard runs in browsers; its tools, tests and e2e harness run in Node.
    files: ["web/src/**/*.{ts,tsx}", "web/test/unit/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat["recommended-latest"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
