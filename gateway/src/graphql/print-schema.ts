import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { lexicographicSortSchema, printSchema } from "graphql";
import { buildGatewaySchema } from "./schema";

export const schemaFile = fileURLToPath(new URL("../../schema.graphql", import.meta.url));

/** The public contract as SDL, sorted so that diffs show only real changes. */
export async function printGatewaySchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGatewaySchema()))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(schemaFile, await printGatewaySchema());
  console.log(`wrote ${schemaFile}`);
}
