import { collectDefaultMetrics, Registry } from "prom-client";

let registry: Registry | null = null;

/**
 * Node's process metrics (CPU, memory, event-loop lag, GC, handles), prefixed `tessera_`, in a
 * registry of their own made once per process. prom-client's collectors start a GC
 * PerformanceObserver and an event-loop-delay monitor that it offers no way to stop; made per
 * GatewayMetrics, each gateway start (every test file's, every restart in one process) left
 * another pair running. They describe the process, not a gateway, so one set serves every
 * gateway the process runs and lives as long as the process.
 */
export function processMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "tessera_" });
  }
  return registry;
}
