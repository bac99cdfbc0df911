import { Counter, Registry } from "prom-client";
import type { VersionStatistics } from "../runtime/model-statistics";

/** The loaded versions' statistics, read at every scrape (ModelRepository.statistics("", "")). */
export type StatisticsSource = () => Array<{ name: string; version: string; statistics: VersionStatistics }>;

interface TritonCounter {
  name: string;
  help: string;
  value: (statistics: VersionStatistics) => number;
}

const us = (ns: number) => ns / 1000;

/**
 * Triton's per-model counters (its names, help texts and `model`/`version` labels), so dashboards
 * and alerts written for Triton read the tier as they are. Each is cumulative since the version
 * was loaded: an unloaded version's series disappear, as on Triton.
 */
const counters: readonly TritonCounter[] = [
  {
    name: "nv_inference_request_success",
    help: "Number of successful inference requests, all batch sizes",
    value: (s) => s.success.count,
  },
  {
    name: "nv_inference_request_failure",
    help: "Number of failed inference requests, all batch sizes",
    value: (s) => s.fail.count,
  },
  {
    name: "nv_inference_count",
    help: "Number of inferences performed (does not include cached requests)",
    value: (s) => s.inferenceCount,
  },
  {
    name: "nv_inference_exec_count",
    help: "Number of model executions performed (does not include cached requests)",
    value: (s) => s.executionCount,
  },
  {
    name: "nv_inference_request_duration_us",
    help: "Cumulative inference request duration in microseconds (includes cached requests)",
    value: (s) => us(s.success.ns),
  },
  {
    name: "nv_inference_queue_duration_us",
    help: "Cumulative inference queuing duration in microseconds (includes cached requests)",
    value: (s) => us(s.queue.ns),
  },
  {
    name: "nv_inference_compute_input_duration_us",
    help: "Cumulative compute input duration in microseconds (does not include cached requests)",
    value: (s) => us(s.computeInput.ns),
  },
  {
    name: "nv_inference_compute_infer_duration_us",
    help: "Cumulative compute inference duration in microseconds (does not include cached requests)",
    value: (s) => us(s.computeInfer.ns),
  },
  {
    name: "nv_inference_compute_output_duration_us",
    help: "Cumulative compute output duration in microseconds (does not include cached requests)",
    value: (s) => us(s.computeOutput.ns),
  },
];

/** A registry whose counters are the tier's VersionStatistics at the moment of each scrape. */
export function tritonMetricsRegistry(source: StatisticsSource): Registry {
  const registry = new Registry();
  for (const counter of counters) {
    new Counter({
      name: counter.name,
      help: counter.help,
      labelNames: ["model", "version"],
      registers: [registry],
      collect() {
        // The statistics are the totals: the counter is rebuilt from them, never incremented.
        this.reset();
        for (const { name, version, statistics } of source()) {
          this.inc({ model: name, version }, counter.value(statistics));
        }
      },
    });
  }
  return registry;
}
