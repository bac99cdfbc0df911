import * as grpc from "@grpc/grpc-js";
import type { StatusResponse } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import type { TierServiceHandlers } from "@tessera/proto/generated/tessera/tier/v1/TierService";
import { loadTier } from "@tessera/proto/tier";
import type { DataPlane } from "../kserve/data-plane";
import type { TierProviders } from "../runtime/execution-providers";

/**
 * What the tier says about itself to gateways: readiness, load per model version, and where models
 * run. Built from counters the tier keeps anyway (no model is asked anything), so gateways can poll
 * it every second without it showing up in the load it reports.
 */
export function tierStatus(dataPlane: DataPlane, providers: TierProviders): StatusResponse {
  const models = dataPlane.models.index().map(({ name, version, state }) => ({
    name,
    version,
    state: state.phase,
    in_flight: dataPlane.runner.inFlightOf(name, version),
    queued: dataPlane.models.queued(name, version),
  }));
  return {
    ready: dataPlane.ready(),
    in_flight: models.reduce((sum, model) => sum + model.in_flight, 0),
    queued: models.reduce((sum, model) => sum + model.queued, 0),
    models,
    device: providers.device,
    execution_providers: providers.providers,
    provider_fallbacks: providers.fallbacks,
    server_version: dataPlane.identity.version,
  };
}

/** TierService (proto/tessera/tier.proto) on the tier's port, beside KServe's. */
export function tierStatusService(
  dataPlane: DataPlane,
  providers: TierProviders,
): { definition: grpc.ServiceDefinition; implementation: TierServiceHandlers } {
  return {
    definition: loadTier().TierService.service,
    implementation: {
      Status: (_call, callback) => callback(null, tierStatus(dataPlane, providers)),
    },
  };
}
