import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../../config";

/**
 * The embedded database (PGlite) lives inside the gateway process and is served on 127.0.0.1 on
 * a port picked at start. The gateway writes that address, password included, here so a worker
 * process of the same user on the same machine with the same TESSERA_DATA_DIR can use it; with an
 * external PostgreSQL, workers are given DATABASE_URL like the gateway.
 */
const fileName = "database-url";

export const embeddedDatabaseUrlFile = (dataDir: string) => path.join(dataDir, fileName);

/** Writes the address, readable by this user only; the returned function removes it (on shutdown). */
export async function publishEmbeddedDatabase(dataDir: string, url: string): Promise<() => Promise<void>> {
  const file = embeddedDatabaseUrlFile(dataDir);
  // A file left by a crash keeps its mode when overwritten, whatever mode is asked for: start anew.
  await rm(file, { force: true });
  await writeFile(file, `${url}\n`, { mode: 0o600, flag: "wx" });
  return () => rm(file, { force: true });
}

/** The running gateway's embedded database address, or a ConfigError saying what to do. */
export async function readEmbeddedDatabaseUrl(dataDir: string): Promise<string> {
  const file = embeddedDatabaseUrlFile(dataDir);
  const url = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  if (!url) {
    throw new ConfigError(
      `No DATABASE_URL is set and no gateway with an embedded database runs on ${dataDir} (${file} is missing). ` +
        "Start the gateway first with the same TESSERA_DATA_DIR, or set DATABASE_URL to the PostgreSQL server the gateway uses.",
    );
  }
  return url;
}
