import { loadConfig } from "./config";
import { createLogger } from "./logger";
import { startGateway } from "./server";
import { startTracing } from "./tracing/tracing";

const SHUTDOWN_GRACE_MS = 15_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  // Before anything that traces: pools, stores and the tier client install their wrappers only then.
  const tracing = startTracing(config.tracing, logger, "tessera-gateway");
  const gateway = await startGateway(config, logger);
  if (gateway.createdAdminToken) {
    // Printed once, on the start that created the admin; only its hash is stored.
    process.stdout.write(
      `\n  Tessera is ready at ${gateway.url}/graphql\n` +
        `  Admin API token (shown only now, keep it): ${gateway.createdAdminToken}\n` +
        `  Use it as: Authorization: Bearer ${gateway.createdAdminToken}\n\n`,
    );
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests");
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    await gateway.stop();
    await tracing.shutdown();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  createLogger({ level: "info" }).fatal(
    { err: error },
    error instanceof Error ? error.message : "gateway failed to start",
  );
  process.exit(1);
});
