import packageJson from "../../package.json" with { type: "json" };
import type { ModelRepository, ServedModel } from "../runtime/model-repository";
import { TierModelRunner } from "../runtime/tier-model-runner";

export interface ServerIdentity {
  name: string;
  version: string;
}

export const tierIdentity: ServerIdentity = { name: "tessera-inference", version: packageJson.version };

/**
 * What the tier knows and does, independent of the transport: the gRPC servicers translate
 * requests into calls on this object and its answers back into messages.
 */
export class DataPlane {
  private accepting = false;
  /** Inference for every transport: ModelInfer and the task services. */
  readonly runner: TierModelRunner;

  constructor(
    readonly models: ModelRepository,
    readonly identity: ServerIdentity = tierIdentity,
  ) {
    this.runner = new TierModelRunner(models);
  }

  /** The process answers; nothing more is promised. */
  live(): boolean {
    return true;
  }

  /** True between `startAccepting` and `stopAccepting`: a balancer sends inference only then. */
  ready(): boolean {
    return this.accepting;
  }

  startAccepting(): void {
    this.accepting = true;
  }

  /** Called first on shutdown, so readiness probes turn away new work while calls in flight finish. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Every model version the tier holds, in name then version order. */
  index(options: { readyOnly: boolean }): ServedModel[] {
    return this.models.index().filter((model) => !options.readyOnly || model.state.phase === "ready");
  }
}
