import { AppError, ErrorCode } from "../../errors";
import { MemberRole } from "../../inference/inference.types";
import { InferenceTask } from "../../inference/deployments.types";
import type { ServingTarget } from "../../inference/serving-targets";
import type { Viewer } from "../../users/access";
import { limits } from "../../limits";
import type { MemberScore, ScoreRequest, Scored, ScoreRow, ScoreSource } from "../scorer";
import { blend } from "./blend";
import type { EnsembleDefinition, EnsembleDefinitions, MemberDefinition } from "./ensemble-definitions";

/** What running a member needs: its serving target, and the Scoring every version goes through. */
export interface MemberServing {
  target(viewer: Viewer, versionId: string, signal: AbortSignal): Promise<ServingTarget>;
  score(request: ScoreRequest): Promise<Scored>;
}

/**
 * ENSEMBLE versions: every member at once, each through Scoring with its own serving target and
 * its own deadline; fallbacks start as soon as a member fails; the answers that came back are
 * blended. A member's failure degrades the answer; only when every one fails does the request fail.
 */
export class EnsembleScores implements ScoreSource {
  constructor(
    private readonly definitions: EnsembleDefinitions,
    private readonly serving: MemberServing,
  ) {}

  async score(request: ScoreRequest): Promise<Scored> {
    const started = performance.now();
    const ensemble = await this.definitions.get(request.versionId);
    const run = (member: MemberDefinition) => this.runMember(ensemble, member, request);
    const main = ensemble.members.filter((m) => m.role === MemberRole.MEMBER);
    const fallbacks = ensemble.members.filter((m) => m.role === MemberRole.FALLBACK);
    let fallbackRun: Promise<MemberScore[]> | null = null;
    const startFallbacks = () => (fallbackRun ??= Promise.all(fallbacks.map(run)));
    const members = await Promise.all(
      main.map(async (member) => {
        const answer = await run(member);
        if (answer.error && fallbacks.length > 0) void startFallbacks();
        return answer;
      }),
    );
    const ran = [...members, ...(fallbackRun ? await fallbackRun : [])];
    const answered = ran.filter((m) => !m.error);
    if (answered.length === 0) {
      const ids = ran.map((m) => m.modelVersionId).filter((id) => id !== "");
      throw everyMemberFailed(ran, await this.definitions.visibleTo(request.viewer, ids));
    }
    return {
      scores: blendedRows(ensemble, answered),
      latencyMs: performance.now() - started,
      servedBy: "ensemble",
      cached: false,
      degraded: members.some((m) => m.error),
      members: ran,
      usedFallback: answered.some((m) => m.role === MemberRole.FALLBACK),
      timings: null,
    };
  }

  /** Never throws: a failure, a timeout or a cancellation becomes the member's error. */
  private async runMember(
    ensemble: EnsembleDefinition,
    member: MemberDefinition,
    request: ScoreRequest,
  ): Promise<MemberScore> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(ensemble.memberTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    let versionId = member.versionId ?? "";
    const outcome = { modelVersionId: versionId, role: member.role, weight: member.weight };
    try {
      const scored = await untilAborted(signal, async () => {
        versionId = await this.memberVersion(member);
        outcome.modelVersionId = versionId;
        const target = await this.serving.target(ensemble.owner, versionId, signal);
        assertClassifies(target);
        return this.serving.score({
          ...request,
          viewer: ensemble.owner,
          versionId,
          target,
          signal,
          member: true,
        });
      });
      return {
        ...outcome,
        scores: scored.scores,
        latencyMs: performance.now() - started,
        servedBy: scored.servedBy,
        error: null,
      };
    } catch (error) {
      return {
        ...outcome,
        scores: [],
        latencyMs: performance.now() - started,
        servedBy: "none",
        error: memberError(error, deadline.aborted, ensemble.memberTimeoutMs),
      };
    }
  }

  private async memberVersion(member: MemberDefinition): Promise<string> {
    if (member.versionId) return member.versionId;
    // Its version or aliased model was deleted by its owner (the foreign keys set both null).
    if (!member.alias) throw new AppError(ErrorCode.NOT_FOUND, "The member was deleted");
    const { modelId, alias } = member.alias;
    const versionId = await this.definitions.aliasTarget(modelId, alias);
    // Unnamed: the caller may not see the aliased model.
    if (!versionId) throw new AppError(ErrorCode.NOT_FOUND, "The alias this member follows no longer exists");
    return versionId;
  }
}

/** The blend of the answers, over the ensemble's labels and any new label an aliased member answers. */
function blendedRows(ensemble: EnsembleDefinition, answered: MemberScore[]): ScoreRow[] {
  const labels = [...ensemble.labels];
  const known = new Set(labels);
  for (const member of answered)
    for (const { label } of member.scores)
      if (!known.has(label)) {
        known.add(label);
        labels.push(label);
      }
  const { scores, ranking } = blend(ensemble.blend, labels, answered);
  return ranking
    .slice(0, limits.inference.topK)
    .map((index) => ({ label: labels[index]!, score: scores[index]!, index }));
}

function assertClassifies(target: ServingTarget): void {
  if (target.kind === "ENSEMBLE") {
    throw new AppError(ErrorCode.FAILED_PRECONDITION, "An ensemble cannot run inside an ensemble");
  }
  if (target.config.task !== InferenceTask.CLASSIFICATION) {
    throw new AppError(
      ErrorCode.FAILED_PRECONDITION,
      `The member is deployed for ${target.config.task}, not CLASSIFICATION`,
    );
  }
}

/** Rejects as soon as `signal` aborts, whether or not `work` heeds it. */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The code a remote member's errors carry in details.reason (CIRCUIT_OPEN, …) wins over its code. */
function memberError(error: unknown, timedOut: boolean, timeoutMs: number): MemberScore["error"] {
  if (timedOut) return { code: "TIMEOUT", message: `No answer within ${timeoutMs} ms` };
  if (error instanceof AppError) {
    const reason = error.details.reason;
    return { code: typeof reason === "string" ? reason : error.code, message: error.message };
  }
  if (error instanceof Error && error.name === "AbortError") {
    return { code: "CANCELLED", message: "The request was cancelled" };
  }
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: "The member failed unexpectedly" };
}

/**
 * Names each member by its version when the caller may see it, else by its place ("member 2",
 * "fallback 1"), as Ensemble.members lists them: a public ensemble's private members stay unnamed.
 */
function everyMemberFailed(ran: MemberScore[], visible: Set<string>): AppError {
  const places = { [MemberRole.MEMBER]: 0, [MemberRole.FALLBACK]: 0 };
  const members = ran.map((m) => {
    const place = ++places[m.role];
    const shown = visible.has(m.modelVersionId) ? m.modelVersionId : null;
    const role = m.role === MemberRole.FALLBACK ? "fallback" : "member";
    const name = shown ? `${role === "fallback" ? "fallback " : ""}${shown}` : `${role} ${place}`;
    return { name, detail: { modelVersionId: shown, role: m.role, code: m.error!.code } };
  });
  return new AppError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `Every member of the ensemble failed: ${members.map((m) => `${m.name} (${m.detail.code})`).join(", ")}`,
    { members: members.map((m) => m.detail) },
  );
}
