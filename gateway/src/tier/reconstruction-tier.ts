import { loadReconstruction } from "@tessera/proto/reconstruction";
import type { ReconstructEvent__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructEvent";
import type { ReconstructRequest } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructRequest";
import type { TierClient } from "./tier-client";

export type { ReconstructEvent__Output as ReconstructEvent, ReconstructRequest };

/**
 * The tier's ReconstructionService: one Reconstruct call per run, on one tier (the run's state
 * lives there until it ends). No deadline: a run lasts as long as it takes; `signal` cancels it,
 * which stops the run on the tier within a second.
 */
export class ReconstructionTier {
  constructor(private readonly client: TierClient) {}

  reconstruct(
    requests: AsyncIterable<ReconstructRequest>,
    signal: AbortSignal,
  ): AsyncGenerator<ReconstructEvent__Output> {
    const method = loadReconstruction().ReconstructionService.service.Reconstruct;
    return this.client.duplexStream(method, requests, { tier: this.client.pickTier(), signal });
  }
}
