import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import {
  expectError,
  namedFiles,
  UPLOAD_MODEL,
  uploadModel,
  type VersionResult,
} from "../../registry/operations";
import { deployReady, solidPng, withImage } from "../../inference/inference-api";
import { buildConstantClassifier } from "./ensemble-fixtures";

const CREATE = `
  mutation ($input: CreateEnsembleInput!) {
    createEnsemble(input: $input) {
      id version labels
      model { slug framework modelType isPublic }
      ensemble { blend memberTimeoutMs members { role weight alias modelVersion { id } } }
    }
  }`;

const CLASSIFY = `
  mutation ($id: ID!, $image: ImageInput!) {
    classifyImage(modelVersionId: $id, image: $image, topK: 3, useCache: false) {
      servedBy degraded cached predictions { label score index }
      members {
        modelVersionId modelVersion { id } role weight latencyMs servedBy
        predictions { label score } error { code message }
      }
    }
  }`;

interface Member {
  modelVersionId: string | null;
  modelVersion: { id: string } | null;
  role: string;
  weight: number;
  latencyMs: number;
  servedBy: string;
  predictions: Array<{ label: string; score: number }>;
  error: { code: string; message: string } | null;
}

interface Answer {
  servedBy: string;
  degraded: boolean;
  cached: boolean;
  predictions: Array<{ label: string; score: number; index: number }>;
  members: Member[];
}

/** A knows every label; B has no "cat"; C answers only as a fallback. */
const A = { labels: ["cat", "dog", "bird"], p: [0.7, 0.2, 0.1] };
const B = { labels: ["dog", "bird"], p: [0.6, 0.4] };
const C = { labels: ["cat", "dog", "bird"], p: [0.1, 0.3, 0.6] };

/** Each blend of A (weight 1) and B (weight 3), worked by hand (serving.types.ts, EnsembleBlend). */
const EXPECTED: Record<string, Array<[string, number]>> = {
  // cat 0.7/4, dog (0.2 + 1.8)/4, bird (0.1 + 1.2)/4
  AVERAGE: [
    ["dog", 0.5],
    ["bird", 0.325],
    ["cat", 0.175],
  ],
  // weights 0.7 and 1.8: cat 0.49/2.5, dog (0.14 + 1.08)/2.5, bird (0.07 + 0.72)/2.5
  CONFIDENCE_WEIGHTED: [
    ["dog", 0.488],
    ["bird", 0.316],
    ["cat", 0.196],
  ],
  MAX: [
    ["cat", 0.7],
    ["dog", 0.6],
    ["bird", 0.4],
  ],
  // A votes cat (1), B votes dog (3)
  VOTE: [
    ["dog", 0.75],
    ["cat", 0.25],
    ["bird", 0],
  ],
};

describe("ensembles through GraphQL", () => {
  let gateway: TestGateway;
  let carol: string;
  let a: VersionResult & { model: { id: string } };
  let b: VersionResult & { model: { id: string } };
  let c: VersionResult;
  let embedder: VersionResult;
  let image: Buffer;
  const ensembles: Record<string, string> = {};

  const create = (input: Record<string, unknown>, token?: string) =>
    gateway.gql<{ createEnsemble: Record<string, unknown> & { id: string } }>(CREATE, { input }, token);
  const classify = async (id: string, token = gateway.adminToken) => {
    const body = await withImage<{ classifyImage: Answer }>(
      gateway,
      CLASSIFY,
      { id },
      image,
      "image.png",
      token,
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.classifyImage;
  };
  const pair = () => [{ modelVersionId: a.id }, { modelVersionId: b.id, weight: 3 }];
  const upload = (slug: string, model: typeof A, input: Record<string, unknown> = {}) =>
    uploadModel(
      gateway,
      { slug, modelType: "CLASSIFICATION", ...input },
      {
        "model.onnx": buildConstantClassifier(model.labels, model.p),
      },
    ) as Promise<VersionResult & { model: { id: string } }>;
  const setAlias = async (modelId: string, versionId: string) => {
    const body = await gateway.gql(
      'mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "prod", versionId: $v) { id } }',
      { m: modelId, v: versionId },
    );
    expect(body.errors).toBeUndefined();
  };
  const ensembleOf = async (id: string, token?: string) =>
    (
      await gateway.gql<{ modelVersion: { ensemble: { members: unknown[] } } }>(
        "query ($id: ID!) { modelVersion(id: $id) { ensemble { members { role alias modelVersion { id } } } } }",
        { id },
        token,
      )
    ).data!.modelVersion.ensemble.members;

  beforeAll(async () => {
    gateway = await startTestGateway();
    carol = await gateway.createMember("carol");
    a = await upload("const-a", A, { isPublic: true });
    b = await upload("const-b", B);
    c = await upload("const-c", C);
    embedder = await upload("const-embedder", A, { modelType: "EMBEDDING" });
    await setAlias(a.model.id, a.id);
    image = await solidPng([10, 200, 30]);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("refuses bad ensembles with typed errors and stores nothing", async () => {
    const before = { rows: await gateway.rowCounts(), members: await gateway.prisma.ensembleMember.count() };
    const base = { slug: "bad", blend: "AVERAGE", members: pair() };
    const refused: Array<[Record<string, unknown>, string, string | RegExp, string?]> = [
      [{ members: [{ modelVersionId: a.id }] }, "BAD_USER_INPUT", "2 to 8 members"],
      [{ members: Array(9).fill({ modelVersionId: a.id }) }, "BAD_USER_INPUT", "2 to 8 members"],
      [{ fallback: Array(5).fill({ modelVersionId: c.id }) }, "BAD_USER_INPUT", "At most 4 fallback"],
      [
        { members: [{ modelVersionId: a.id, alias: "const-a@prod" }, { modelVersionId: b.id }] },
        "BAD_USER_INPUT",
        "exactly one",
      ],
      [{ members: [{ weight: 2 }, { modelVersionId: b.id }] }, "BAD_USER_INPUT", "exactly one"],
      [
        { members: [{ modelVersionId: a.id, weight: -1 }, { modelVersionId: b.id }] },
        "BAD_USER_INPUT",
        "between 0 and 1000",
      ],
      [
        { members: [{ modelVersionId: a.id, weight: 1001 }, { modelVersionId: b.id }] },
        "BAD_USER_INPUT",
        "between 0 and 1000",
      ],
      [
        {
          members: [
            { modelVersionId: a.id, weight: 0 },
            { modelVersionId: b.id, weight: 0 },
          ],
        },
        "BAD_USER_INPUT",
        "all 0",
      ],
      [{ members: [{ modelVersionId: a.id }, { modelVersionId: a.id }] }, "BAD_USER_INPUT", "a second time"],
      [{ members: [{ alias: "const a" }, { modelVersionId: b.id }] }, "BAD_USER_INPUT", 'use "slug@alias"'],
      [
        { members: [{ alias: "const-a@missing" }, { modelVersionId: b.id }] },
        "NOT_FOUND",
        'Alias "const-a@missing"',
      ],
      [
        { members: [{ alias: "nobody/const-a@prod" }, { modelVersionId: b.id }] },
        "NOT_FOUND",
        "nobody/const-a",
      ],
      [
        { members: [{ modelVersionId: randomUUID() }, { modelVersionId: b.id }] },
        "NOT_FOUND",
        "Model version",
      ],
      [
        { members: [{ modelVersionId: embedder.id }, { modelVersionId: b.id }] },
        "BAD_USER_INPUT",
        "does not classify",
      ],
      [{ memberTimeoutMs: 50 }, "BAD_USER_INPUT", "memberTimeoutMs"],
      [{ slug: "const-a" }, "CONFLICT", 'ONNX model "const-a"'],
      [{ slug: "Bad Slug" }, "BAD_USER_INPUT", "Slug"],
      // carol cannot see admin's private B: the same answer as a version that does not exist.
      [{}, "NOT_FOUND", `Model version ${b.id}`, carol],
    ];
    for (const [override, code, message, token] of refused) {
      expectError(await create({ ...base, ...override }, token), code, message);
    }
    expect({ rows: await gateway.rowCounts(), members: await gateway.prisma.ensembleMember.count() }).toEqual(
      before,
    );
  });

  it("registers each blend as a version and classifies with it: the blend, each member and where it ran", async () => {
    for (const blend of Object.keys(EXPECTED)) {
      const members =
        blend === "AVERAGE" ? [{ alias: "admin/const-a@prod" }, { modelVersionId: b.id, weight: 3 }] : pair();
      const body = await create({
        slug: `ens-${blend.toLowerCase().replace("_", "-")}`,
        blend,
        members,
        fallback: blend === "AVERAGE" ? [{ modelVersionId: c.id }] : null,
        isPublic: blend === "VOTE" || blend === "AVERAGE",
      });
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      ensembles[blend] = body.data!.createEnsemble.id;
      const answer = await classify(ensembles[blend]!);
      expect(
        answer.predictions.map((p) => p.label),
        blend,
      ).toEqual(EXPECTED[blend]!.map(([label]) => label));
      answer.predictions.forEach((p, k) =>
        expect(p.score, `${blend} ${p.label}`).toBeCloseTo(EXPECTED[blend]![k]![1], 5),
      );
      expect(answer.predictions.map((p) => p.index)).toEqual(
        answer.predictions.map((p) => A.labels.indexOf(p.label)),
      );
      expect(answer).toMatchObject({ servedBy: "ensemble", degraded: false, cached: false });
      expect(
        answer.members.map((m) => [m.modelVersionId, m.modelVersion?.id, m.role, m.weight, m.error]),
      ).toEqual([
        [a.id, a.id, "MEMBER", 1, null],
        [b.id, b.id, "MEMBER", 3, null],
      ]);
      for (const m of answer.members) {
        expect(m.servedBy).toMatch(/^tier:/);
        expect(m.latencyMs).toBeGreaterThan(0);
      }
      expect(answer.members[1]!.predictions.map((p) => p.label)).toEqual(["dog", "bird"]);
      answer.members[0]!.predictions.forEach((p, k) => expect(p.score).toBeCloseTo(A.p[k]!, 5));
    }

    const average = await gateway.gql<{ modelVersion: Record<string, unknown> }>(
      `query ($id: ID!) { modelVersion(id: $id) { labels model { framework modelType }
         ensemble { blend memberTimeoutMs members { role weight alias modelVersion { id } } } } }`,
      { id: ensembles.AVERAGE },
    );
    expect(average.data?.modelVersion).toEqual({
      labels: ["cat", "dog", "bird"],
      model: { framework: "ENSEMBLE", modelType: "CLASSIFICATION" },
      ensemble: {
        blend: "AVERAGE",
        memberTimeoutMs: 10_000,
        members: [
          { role: "MEMBER", weight: 1, alias: "admin/const-a@prod", modelVersion: { id: a.id } },
          { role: "MEMBER", weight: 3, alias: null, modelVersion: { id: b.id } },
          { role: "FALLBACK", weight: 1, alias: null, modelVersion: { id: c.id } },
        ],
      },
    });
    const plain = await gateway.gql<{ modelVersion: { ensemble: unknown } }>(
      "query ($id: ID!) { modelVersion(id: $id) { ensemble { blend } } }",
      { id: a.id },
    );
    expect(plain.data?.modelVersion.ensemble).toBeNull();

    // Another version of an ensemble; an ensemble cannot be a member.
    const again = await create({ slug: "ens-max", blend: "MAX", members: pair() });
    expect(again.data?.createEnsemble).toMatchObject({ version: "v2" });
    expectError(
      await create({
        slug: "nested",
        blend: "MAX",
        members: [{ modelVersionId: ensembles.MAX }, { modelVersionId: a.id }],
      }),
      "BAD_USER_INPUT",
      "an ensemble cannot be a member",
    );

    // Files cannot join an ensemble model, nor claim to be one.
    const onnx = buildConstantClassifier(A.labels, A.p);
    const uploadTo = (input: Record<string, unknown>) =>
      gateway.upload(
        UPLOAD_MODEL,
        { input: { modelType: "CLASSIFICATION", ...input } },
        namedFiles({ "model.onnx": onnx }),
      );
    expectError(await uploadTo({ slug: "ens-max" }), "CONFLICT", "ENSEMBLE");
    expectError(
      await uploadTo({ slug: "fake-ensemble", framework: "ENSEMBLE" }),
      "BAD_USER_INPUT",
      "createEnsemble",
    );

    // The public ensemble serves carol with its owner's private member: she learns nothing of it
    // but its answer (no id, only the kind of place it ran).
    const forCarol = await classify(ensembles.VOTE!, carol);
    expect(forCarol.predictions[0]).toMatchObject({ label: "dog" });
    expect(forCarol.members.map((m) => [m.modelVersionId, m.modelVersion?.id ?? null, m.servedBy])).toEqual([
      [a.id, a.id, expect.stringMatching(/^tier:/)],
      [null, null, "tier"],
    ]);
    expect(await ensembleOf(ensembles.AVERAGE!, carol)).toEqual([
      { role: "MEMBER", alias: "admin/const-a@prod", modelVersion: { id: a.id } },
      { role: "MEMBER", alias: null, modelVersion: null },
      { role: "FALLBACK", alias: null, modelVersion: null },
    ]);
  });

  it("answers degraded from the rest and the fallback when a member cannot be served", async () => {
    // B's model now serves another version: v1 is refused (CONFLICT) until deployed again.
    const b2 = await uploadModel(
      gateway,
      { slug: "const-b", modelType: "CLASSIFICATION" },
      {
        "model.onnx": buildConstantClassifier(B.labels, B.p),
      },
    );
    await deployReady(gateway, b2.id);
    const answer = await classify(ensembles.AVERAGE!);
    expect(answer).toMatchObject({ servedBy: "ensemble", degraded: true });
    expect(answer.members.map((m) => [m.modelVersionId, m.role, m.error?.code ?? null])).toEqual([
      [a.id, "MEMBER", null],
      [b.id, "MEMBER", "CONFLICT"],
      [c.id, "FALLBACK", null],
    ]);
    expect(answer.members[1]).toMatchObject({ servedBy: "none", predictions: [] });
    expect(answer.members[2]!.servedBy).toMatch(/^tier:/);
    // A and C, weight 1 each: cat (0.7 + 0.1)/2, bird (0.1 + 0.6)/2, dog (0.2 + 0.3)/2.
    const expected: Array<[string, number]> = [
      ["cat", 0.4],
      ["bird", 0.35],
      ["dog", 0.25],
    ];
    expect(answer.predictions.map((p) => p.label)).toEqual(expected.map(([label]) => label));
    answer.predictions.forEach((p, k) => expect(p.score).toBeCloseTo(expected[k]![1], 5));

    // To carol, the private member's failure is its code alone: no id, host or message naming it.
    const forCarol = await classify(ensembles.AVERAGE!, carol);
    expect(forCarol.members.map((m) => [m.modelVersionId, m.servedBy, m.error])).toEqual([
      [a.id, expect.stringMatching(/^tier:/), null],
      [null, "none", { code: "CONFLICT", message: "This member could not answer" }],
      [null, "tier", null],
    ]);
    expect(JSON.stringify(forCarol)).not.toContain(b.id);
  });

  it("runs members with the owner's authority as it is now: a demoted admin's ensemble loses ADMIN", async () => {
    const dave = await gateway.createMember("dave");
    const setRole = (role: "ADMIN" | "MEMBER") =>
      gateway.prisma.user.update({ where: { handle: "dave" }, data: { role } });
    await setRole("ADMIN");
    const body = await create(
      { slug: "daves", blend: "AVERAGE", members: [{ modelVersionId: a.id }, { modelVersionId: c.id }] },
      dave,
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const ensemble = body.data!.createEnsemble.id;
    expect((await classify(ensemble, dave)).degraded).toBe(false);
    await setRole("MEMBER");
    // Their signed-in token may still read ADMIN for a few seconds; the ensemble's owner does not.
    const answer = await classify(ensemble, dave);
    expect(answer.members.map((m) => [m.weight, m.error?.code ?? null])).toEqual([
      [1, null],
      [1, "NOT_FOUND"],
    ]);
  });

  it("refuses to delete what an ensemble uses, naming the ensemble", async () => {
    const deleteVersion = (id: string) =>
      gateway.gql("mutation ($id: ID!) { deleteModelVersion(id: $id) }", { id });
    const deleteModel = (id: string) => gateway.gql("mutation ($id: ID!) { deleteModel(id: $id) }", { id });
    expectError(await deleteVersion(a.id), "FAILED_PRECONDITION", '"admin/ens-');
    expectError(await deleteModel(b.model.id), "FAILED_PRECONDITION", "ensemble");
    expectError(await deleteVersion(c.id), "FAILED_PRECONDITION", '"admin/ens-average" v1');
    expect(await gateway.prisma.modelVersion.count({ where: { id: { in: [a.id, b.id, c.id] } } })).toBe(3);

    const average = await gateway.prisma.modelVersion.findUniqueOrThrow({
      where: { id: ensembles.AVERAGE! },
    });
    expect((await deleteModel(average.modelId)).data).toEqual({ deleteModel: true });
    expect((await deleteVersion(c.id)).data).toEqual({ deleteModelVersion: true });
  });

  it("lets an owner delete what only another user's ensemble uses: that member then answers as deleted", async () => {
    const d = await upload("const-d", C, { isPublic: true });
    await setAlias(d.model.id, d.id);
    // Deployed first: a first-use deploy under a loaded machine could outlast a member's timeout.
    await deployReady(gateway, d.id);
    const body = await create(
      {
        slug: "carols",
        blend: "AVERAGE",
        members: [{ modelVersionId: d.id }, { alias: "admin/const-d@prod" }, { modelVersionId: a.id }],
      },
      carol,
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const ensemble = body.data!.createEnsemble.id;
    const whole = await classify(ensemble, carol);
    expect(whole.degraded, JSON.stringify(whole.members)).toBe(false);

    expect(
      (await gateway.gql("mutation ($id: ID!) { deleteModel(id: $id) }", { id: d.model.id })).data,
    ).toEqual({ deleteModel: true });
    const answer = await classify(ensemble, carol);
    const deleted = { code: "NOT_FOUND", message: "The member was deleted" };
    expect(answer.degraded).toBe(true);
    expect(answer.members.map((m) => [m.modelVersionId, m.servedBy, m.error])).toEqual([
      [null, "none", deleted],
      [null, "none", deleted],
      [a.id, expect.stringMatching(/^tier:/), null],
    ]);
    answer.predictions.forEach((p) => expect(p.score).toBeCloseTo(A.p[A.labels.indexOf(p.label)]!, 5));
    expect(await ensembleOf(ensemble, carol)).toEqual([
      { role: "MEMBER", alias: null, modelVersion: null },
      { role: "MEMBER", alias: null, modelVersion: null },
      { role: "MEMBER", alias: null, modelVersion: { id: a.id } },
    ]);
  });
});
