import type pg from "pg";

/**
 * True when the connection is served by the embedded PGlite (through our socket server), which
 * does not pass notifications between connections: listeners settle on polling or stay local.
 */
export async function isEmbeddedDatabase(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ version: string }>("SELECT version()");
  return rows[0]?.version.includes("PGlite") ?? false;
}
