import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { AppError, ErrorCode, rateLimited } from "../../../src/errors";
import { MemberRole } from "../../../src/inference/inference.types";
import { InferenceTask } from "../../../src/inference/deployments.types";
import type { ServingTarget } from "../../../src/inference/serving-targets";
import type { DeploymentConfig } from "../../../src/inference/deployments.types";
import type { ScoreRequest, Scored } from "../../../src/serving/scorer";
import { EnsembleBlend } from "../../../src/serving/serving.types";
import { EnsembleScores } from "../../../src/serving/ensembles/ensemble-scores";
import type {
  EnsembleDefinition,
  MemberDefinition,
} from "../../../src/serving/ensembles/ensemble-definitions";

const OWNER = { id: "owner-id", handle: "alice", role: "MEMBER" as const };
const CALLER = { id: "caller-id", handle: "bob", role: "MEMBER" as const };

const member = (versionId: string, weight = 1, role = MemberRole.MEMBER): MemberDefinition => ({
  role,
  weight,
  versionId,
  alias: null,
});

function definition(members: MemberDefinition[], blend = EnsembleBlend.AVERAGE): EnsembleDefinition {
  return { versionId: "ens", blend, memberTimeoutMs: 50, labels: ["cat", "dog"], members, owner: OWNER };
}

type Behaviour = { scores: Record<string, number> } | { error: Error } | "hang";

/** Fake members: each version answers fixed scores, fails, or never answers; every call is recorded. */
function fakeServing(behaviours: Record<string, Behaviour>, task = InferenceTask.CLASSIFICATION) {
  const calls: Array<{ versionId: string; viewer: string | undefined; signal: AbortSignal | undefined }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const serving = {
    target: async (_viewer: unknown, versionId: string): Promise<ServingTarget> => ({
      kind: "TIER",
      deploymentId: `d-${versionId}`,
      tierModelName: versionId,
      tierModelVersion: "1",
      config: { task } as DeploymentConfig,
      labels: [],
    }),
    score: async (request: ScoreRequest): Promise<Scored> => {
      calls.push({ versionId: request.versionId, viewer: request.viewer?.id, signal: request.signal });
      const behaviour = behaviours[request.versionId]!;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        // Every member is in flight before any answers: the parallel start is observable.
        await new Promise((resolve) => setImmediate(resolve));
        if (behaviour === "hang") return await new Promise<Scored>(() => {});
        if ("error" in behaviour) throw behaviour.error;
        return {
          scores: Object.entries(behaviour.scores)
            .map(([label, score], index) => ({ label, score, index }))
            .sort((a, b) => b.score - a.score),
          latencyMs: 1,
          servedBy: `tier:${request.versionId}`,
          cached: false,
          degraded: false,
          members: null,
          usedFallback: false,
          timings: null,
        };
      } finally {
        running -= 1;
      }
    },
  };
  return { serving, calls, mostAtOnce: () => mostAtOnce };
}

/** `visible`: the versions the caller may see (every one unless given). */
function scorer(
  def: EnsembleDefinition,
  serving: ReturnType<typeof fakeServing>["serving"],
  aliases = {},
  visible?: string[],
) {
  const table: Record<string, string> = aliases;
  return new EnsembleScores(
    {
      get: async () => def,
      aliasTarget: async (modelId, alias) => table[`${modelId}@${alias}`] ?? null,
      visibleTo: async (_viewer, ids) => new Set(ids.filter((id) => !visible || visible.includes(id))),
    },
    serving,
  );
}

const request = (signal?: AbortSignal): ScoreRequest => ({
  viewer: CALLER,
  versionId: "ens",
  target: {} as ServingTarget,
  image: Buffer.from("png"),
  imageSha256: "00",
  signal,
  useCache: true,
});

const answers = {
  m1: { scores: { cat: 0.8, dog: 0.2 } },
  m2: { scores: { cat: 0.4, dog: 0.6 } },
  fb: { scores: { cat: 0.1, dog: 0.9 } },
};

describe("EnsembleScores", () => {
  it("runs every member at once, as the ensemble's owner, and blends their answers", async () => {
    const fake = fakeServing(answers);
    const scored = await scorer(definition([member("m1", 1), member("m2", 2)]), fake.serving).score(
      request(),
    );
    expect(fake.mostAtOnce()).toBe(2);
    expect(fake.calls.map((c) => c.viewer)).toEqual([OWNER.id, OWNER.id]);
    // AVERAGE, weights 1 and 2: cat = (0.8 + 0.8)/3, dog = (0.2 + 1.2)/3.
    expect(scored.scores.map((s) => [s.label, s.index])).toEqual([
      ["cat", 0],
      ["dog", 1],
    ]);
    expect(scored.scores[0]!.score).toBeCloseTo(1.6 / 3, 12);
    expect(scored.scores[1]!.score).toBeCloseTo(1.4 / 3, 12);
    expect(scored).toMatchObject({
      servedBy: "ensemble",
      degraded: false,
      usedFallback: false,
      cached: false,
    });
    expect(scored.members!.map((m) => [m.modelVersionId, m.role, m.weight, m.servedBy, m.error])).toEqual([
      ["m1", MemberRole.MEMBER, 1, "tier:m1", null],
      ["m2", MemberRole.MEMBER, 2, "tier:m2", null],
    ]);
  });

  it("answers with the rest, degraded, when a member times out, and aborts that member's call", async () => {
    const fake = fakeServing({ ...answers, slow: "hang" });
    const scored = await scorer(definition([member("m1"), member("slow")]), fake.serving).score(request());
    expect(scored.degraded).toBe(true);
    expect(scored.scores.map((s) => [s.label, s.score])).toEqual([
      ["cat", 0.8],
      ["dog", 0.2],
    ]);
    const slow = scored.members!.find((m) => m.modelVersionId === "slow")!;
    expect(slow).toMatchObject({ servedBy: "none", scores: [], error: { code: "TIMEOUT" } });
    expect(slow.latencyMs).toBeGreaterThanOrEqual(45);
    expect(fake.calls.find((c) => c.versionId === "slow")!.signal!.aborted).toBe(true);
  });

  it("runs fallbacks only when a member fails, and says which error (a remote reason wins)", async () => {
    const circuitOpen = new AppError(ErrorCode.SERVICE_UNAVAILABLE, "breaker open", {
      reason: "CIRCUIT_OPEN",
    });
    const fallback = member("fb", 1, MemberRole.FALLBACK);
    const healthy = fakeServing(answers);
    await scorer(definition([member("m1"), member("m2"), fallback]), healthy.serving).score(request());
    expect(healthy.calls.map((c) => c.versionId)).toEqual(["m1", "m2"]);

    const failing = fakeServing({ ...answers, remote: { error: circuitOpen } });
    const scored = await scorer(
      definition([member("m1"), member("remote"), fallback]),
      failing.serving,
    ).score(request());
    expect(scored).toMatchObject({ degraded: true, usedFallback: true, servedBy: "ensemble" });
    expect(scored.members!.map((m) => [m.modelVersionId, m.role, m.servedBy, m.error?.code ?? null])).toEqual(
      [
        ["m1", MemberRole.MEMBER, "tier:m1", null],
        ["remote", MemberRole.MEMBER, "none", "CIRCUIT_OPEN"],
        ["fb", MemberRole.FALLBACK, "tier:fb", null],
      ],
    );
    // m1 and the fallback: cat = (0.8 + 0.1)/2, dog = (0.2 + 0.9)/2.
    expect(scored.scores.map((s) => s.label)).toEqual(["dog", "cat"]);
    expect(scored.scores[0]!.score).toBeCloseTo(0.55, 12);
  });

  it("fails with SERVICE_UNAVAILABLE naming every member when none answers", async () => {
    const fake = fakeServing({
      a: { error: rateLimited("slow down", 5) },
      b: { error: new Error("socket hang up at 10.0.0.7") },
    });
    const error = await scorer(definition([member("a"), member("b")]), fake.serving)
      .score(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect((error as AppError).message).toBe(
      "Every member of the ensemble failed: a (RATE_LIMITED), b (INTERNAL_SERVER_ERROR)",
    );
    expect((error as AppError).message).not.toContain("10.0.0.7");
  });

  it("names the members a caller cannot see only by their place when none answers", async () => {
    const fake = fakeServing({
      seen: { error: new AppError(ErrorCode.CONFLICT, "not deployed") },
      secret: { error: new AppError(ErrorCode.NOT_FOUND, "Model version secret not found") },
      fb: { error: new AppError(ErrorCode.SERVICE_UNAVAILABLE, "down", { reason: "TIMEOUT" }) },
    });
    const fallback = member("fb", 1, MemberRole.FALLBACK);
    const error = (await scorer(definition([member("seen"), member("secret"), fallback]), fake.serving, {}, [
      "seen",
    ])
      .score(request())
      .catch((e: unknown) => e)) as AppError;
    expect(error.message).toBe(
      "Every member of the ensemble failed: seen (CONFLICT), member 2 (NOT_FOUND), fallback 1 (TIMEOUT)",
    );
    expect(error.details.members).toEqual([
      { modelVersionId: "seen", role: MemberRole.MEMBER, code: ErrorCode.CONFLICT },
      { modelVersionId: null, role: MemberRole.MEMBER, code: ErrorCode.NOT_FOUND },
      { modelVersionId: null, role: MemberRole.FALLBACK, code: "TIMEOUT" },
    ]);
  });

  it("follows an alias at request time; a vanished alias or a member not deployed to classify is that member's error", async () => {
    const fake = fakeServing(answers);
    const aliased: MemberDefinition = {
      role: MemberRole.MEMBER,
      weight: 1,
      versionId: null,
      alias: { modelId: "mod", alias: "prod" },
    };
    const scored = await scorer(definition([member("m1"), aliased]), fake.serving, {
      "mod@prod": "m2",
    }).score(request());
    expect(scored.members!.map((m) => m.modelVersionId)).toEqual(["m1", "m2"]);

    const gone = await scorer(definition([member("m1"), aliased]), fake.serving).score(request());
    expect(gone.members![1]!.error).toEqual({
      code: ErrorCode.NOT_FOUND,
      message: "The alias this member follows no longer exists",
    });
    // Its version was deleted: the foreign key set the member's reference null.
    const deleted: MemberDefinition = { ...aliased, alias: null };
    const orphan = await scorer(definition([member("m1"), deleted]), fake.serving).score(request());
    expect(orphan.members![1]).toMatchObject({
      modelVersionId: "",
      servedBy: "none",
      error: { code: ErrorCode.NOT_FOUND, message: "The member was deleted" },
    });

    const embedding = fakeServing(answers, InferenceTask.EMBEDDING);
    const error = await scorer(definition([member("m1"), member("m2")]), embedding.serving)
      .score(request())
      .catch((e: unknown) => e as AppError);
    expect((error as AppError).details.members).toEqual([
      { modelVersionId: "m1", role: MemberRole.MEMBER, code: ErrorCode.FAILED_PRECONDITION },
      { modelVersionId: "m2", role: MemberRole.MEMBER, code: ErrorCode.FAILED_PRECONDITION },
    ]);
  });
});
