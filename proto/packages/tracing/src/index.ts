// Only the OpenTelemetry API is loaded from here; startTracing, which loads the SDK, is
// "@tessera/tracing/start".
export { traceLogFields, type TraceLogFields } from "./log-trace-fields";
export {
  samplerNames,
  tracingConfig,
  TracingConfigError,
  type Env,
  type SamplerConfig,
  type SamplerName,
  type TracingConfig,
} from "./tracing-config";
export { markTracingEnabled, tracingEnabled } from "./tracing-state";
