import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generatedPath, generateClientTypes } from "../../tools/codegen";

describe("the dashboard's generated GraphQL types", () => {
  it("match gateway/schema.graphql and the .graphql documents (else run `npm run codegen -w @tessera/web`)", async () => {
    const committed = await readFile(generatedPath, "utf8");
    expect(
      committed === (await generateClientTypes()),
      "web/src/gql/graphql.ts is stale: run `npm run codegen -w @tessera/web`",
    ).toBe(true);
  });
});
