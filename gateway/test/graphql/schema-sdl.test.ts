import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { printGatewaySchema, schemaFile } from "../../src/graphql/print-schema";

describe("gateway/schema.graphql", () => {
  it("is the printed schema (run `npm run schema:print` after changing the API)", async () => {
    const committed = await readFile(schemaFile, "utf8");
    expect(committed).toBe(await printGatewaySchema());
  });
});
