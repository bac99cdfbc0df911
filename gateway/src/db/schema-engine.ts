import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { MigrationAdapters } from "./migration-adapters";

export type { SchemaEngine };

/** Raised for anything the schema engine reports: a failed migration, an unreachable database, … */
export class MigrationError extends Error {
  override name = "MigrationError";
}

// The engine hands a Rust panic's message to this global just before it traps; without one the
// message is lost in a TypeError. Prisma Client installs its own (throwing its panic error).
const panicRegistry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
panicRegistry.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message) {
    throw new MigrationError(`The schema engine crashed: ${message}`);
  },
};

/**
 * Runs `work` with Prisma's schema engine compiled to WASM (no native binary, no download),
 * connected to `url` through adapter-pg.
 */
export async function withSchemaEngine<T>(
  url: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const adapters = new MigrationAdapters(url);
  const factory = bindMigrationAwareSqlAdapterFactory(adapters);
  try {
    const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, factory);
    try {
      return await work(engine);
    } finally {
      try {
        engine.free();
      } catch {
        // After a panic the engine cannot even be freed; the panic is the error to report.
      }
    }
  } catch (error) {
    throw new MigrationError(engineMessage(error, factory.errorRegistry, adapters.lastScriptError), {
      cause: error,
    });
  } finally {
    await adapters.close();
  }
}

async function loadEngineModule(): Promise<typeof import("@prisma/schema-engine-wasm")> {
  try {
    return await import("@prisma/schema-engine-wasm");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_UNKNOWN_FILE_EXTENSION") {
      throw new MigrationError(
        "The schema engine is a WebAssembly module: run node with --experimental-wasm-modules " +
          "(npm start, npm test and the npm run db:* scripts pass it).",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The engine's messages name a category ("external connector error") and end in a Rust span
 * trace; say which migration failed and what the database said instead. Errors thrown on the JS
 * side come back as "External error id#N", an id into the adapter's error registry.
 */
function engineMessage(
  error: unknown,
  registry: { consumeError(id: number): { error: unknown } | undefined },
  scriptError: string | null,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const migration = /migration_name="([^"]+)"/.exec(message)?.[1];
  const summary = message
    .replace(/\n\s+0: [\s\S]*$/, "")
    .replace(/External error id#(\d+)/g, (text, id: string) => {
      const original = registry.consumeError(Number(id))?.error;
      return original instanceof Error ? original.message : text;
    })
    .trim();
  if (!migration) return summary;
  return `Migration ${migration} failed: ${scriptError ?? summary}`;
}
