import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError, sha256Of, uploadModel, type VersionResult } from "./operations";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway?.stop());

const UPDATE_VERSION = `mutation ($id: ID!, $patch: ModelVersionPatch!) {
  updateModelVersion(id: $id, patch: $patch) {
    version labels inputShape outputShape pythonVersion dependencies hardwareRequirements customMetadata
    isActive isProductionReady metrics { trainingAccuracy validationAccuracy testAccuracy trainingLoss extra }
    files { path }
  }
}`;
const UPDATE_MODEL = `mutation ($id: ID!, $patch: ModelPatch!) {
  updateModel(id: $id, patch: $patch) { slug name description modelType algorithm tags isPublic framework }
}`;
const SET_ALIAS = `mutation ($modelId: ID!, $alias: String!, $versionId: ID!) {
  setModelAlias(modelId: $modelId, alias: $alias, versionId: $versionId) {
    aliases { alias version { version } }
    versions { version aliases }
  }
}`;

describe("updateModelVersion", () => {
  let version: VersionResult;
  beforeAll(async () => {
    version = await uploadModel(
      gateway,
      {
        slug: "editable",
        labels: ["a", "b"],
        pythonVersion: "3.10",
        metrics: { trainingAccuracy: 0.5, testAccuracy: 0.4 },
        customMetadata: { owner: "team-a" },
      },
      { "model.pt": "editable weights" },
    );
  });

  it("changes the fields in the patch and leaves the rest as they were", async () => {
    const body = await gateway.gql(UPDATE_VERSION, {
      id: version.id,
      patch: {
        labels: ["cat", "dog"],
        metrics: { validationAccuracy: 0.7, extra: { auc: 0.8 } },
        dependencies: ["torch==2.3"],
        hardwareRequirements: { gpu: true },
        customMetadata: { owner: "team-b", reviewed: true },
        isProductionReady: true,
        isActive: false,
        inputShape: [1, 3, 224, 224],
      },
    });
    expect(body).toEqual({
      data: {
        updateModelVersion: {
          version: "v1",
          labels: ["cat", "dog"],
          inputShape: [1, 3, 224, 224],
          outputShape: null,
          pythonVersion: "3.10",
          dependencies: ["torch==2.3"],
          hardwareRequirements: { gpu: true },
          customMetadata: { owner: "team-b", reviewed: true },
          isActive: false,
          isProductionReady: true,
          metrics: {
            trainingAccuracy: 0.5,
            validationAccuracy: 0.7,
            testAccuracy: 0.4,
            trainingLoss: null,
            extra: { auc: 0.8 },
          },
          files: [{ path: "model.pt" }],
        },
      },
    });
  });

  it("clears a JSON field set to null", async () => {
    const body = await gateway.gql(UPDATE_VERSION, { id: version.id, patch: { customMetadata: null } });
    expect(body.data).toMatchObject({ updateModelVersion: { customMetadata: null, labels: ["cat", "dog"] } });
  });

  it("refuses metadata that is not a JSON object, and a version that does not exist", async () => {
    expectError(
      await gateway.gql(UPDATE_VERSION, { id: version.id, patch: { customMetadata: "text" } }),
      "BAD_USER_INPUT",
      '"customMetadata" must be a JSON object',
    );
    expectError(
      await gateway.gql(UPDATE_VERSION, {
        id: "00000000-0000-4000-8000-000000000000",
        patch: { isActive: true },
      }),
      "NOT_FOUND",
    );
  });
});

describe("updateModel", () => {
  it("changes the model's own fields", async () => {
    const { model } = await uploadModel(gateway, { slug: "renamed" }, { "model.h5": "keras weights" });
    const body = await gateway.gql(UPDATE_MODEL, {
      id: model.id,
      patch: {
        name: " Renamed model ",
        description: "Now with a description",
        modelType: "REGRESSION",
        algorithm: "dense network",
        tags: ["tabular", "tabular", " prices "],
        isPublic: true,
      },
    });
    expect(body).toEqual({
      data: {
        updateModel: {
          slug: "renamed",
          name: "Renamed model",
          description: "Now with a description",
          modelType: "REGRESSION",
          algorithm: "dense network",
          tags: ["tabular", "prices"],
          isPublic: true,
          framework: "KERAS",
        },
      },
    });
    const cleared = await gateway.gql(UPDATE_MODEL, { id: model.id, patch: { description: null } });
    expect(cleared.data).toMatchObject({ updateModel: { description: null, name: "Renamed model" } });
  });

  it("refuses an empty name", async () => {
    const { model } = await uploadModel(gateway, { slug: "unnamed" }, { "model.h5": "more keras weights" });
    expectError(await gateway.gql(UPDATE_MODEL, { id: model.id, patch: { name: "  " } }), "BAD_USER_INPUT");
  });
});

describe("setModelAlias", () => {
  let v1: VersionResult;
  let v2: VersionResult;
  beforeAll(async () => {
    v1 = await uploadModel(gateway, { slug: "aliased" }, { "model.pt": "aliased v1" });
    v2 = await uploadModel(gateway, { slug: "aliased" }, { "model.pt": "aliased v2" });
  });

  it("points an alias at a version, and moves it: one version per alias", async () => {
    const set = await gateway.gql(SET_ALIAS, { modelId: v1.model.id, alias: "production", versionId: v1.id });
    expect(set).toEqual({
      data: {
        setModelAlias: {
          aliases: [{ alias: "production", version: { version: "v1" } }],
          versions: [
            { version: "v2", aliases: [] },
            { version: "v1", aliases: ["production"] },
          ],
        },
      },
    });
    await gateway.gql(SET_ALIAS, { modelId: v1.model.id, alias: "staging", versionId: v2.id });
    const moved = await gateway.gql(SET_ALIAS, {
      modelId: v1.model.id,
      alias: "production",
      versionId: v2.id,
    });
    expect(moved).toEqual({
      data: {
        setModelAlias: {
          aliases: [
            { alias: "production", version: { version: "v2" } },
            { alias: "staging", version: { version: "v2" } },
          ],
          versions: [
            { version: "v2", aliases: ["production", "staging"] },
            { version: "v1", aliases: [] },
          ],
        },
      },
    });
    expect(
      await gateway.prisma.modelAlias.count({ where: { modelId: v1.model.id, alias: "production" } }),
    ).toBe(1);
    const byAlias = await gateway.gql(`{ model(slug: "aliased") { version(name: "production") { id } } }`);
    expect(byAlias).toEqual({ data: { model: { version: { id: v2.id } } } });
  });

  it("removes an alias, and says whether it existed", async () => {
    const remove = `mutation ($modelId: ID!) { removeModelAlias(modelId: $modelId, alias: "staging") }`;
    expect(await gateway.gql(remove, { modelId: v1.model.id })).toEqual({ data: { removeModelAlias: true } });
    expect(await gateway.gql(remove, { modelId: v1.model.id })).toEqual({
      data: { removeModelAlias: false },
    });
  });

  it("refuses an invalid alias and a version of another model", async () => {
    expectError(
      await gateway.gql(SET_ALIAS, { modelId: v1.model.id, alias: "Prod!", versionId: v1.id }),
      "BAD_USER_INPUT",
      'Alias "Prod!" is invalid',
    );
    const other = await uploadModel(gateway, { slug: "other-model" }, { "model.pt": "other model" });
    expectError(
      await gateway.gql(SET_ALIAS, { modelId: v1.model.id, alias: "production", versionId: other.id }),
      "NOT_FOUND",
    );
  });
});

describe("deleting", () => {
  const shared = "config shared by every version";

  it("deleteModelVersion removes its rows and the blobs nothing else references", async () => {
    const v1 = await uploadModel(
      gateway,
      { slug: "doomed" },
      { "model.pt": "doomed v1", "config.json": shared },
    );
    const v2 = await uploadModel(
      gateway,
      { slug: "doomed" },
      { "model.pt": "doomed v2", "config.json": shared },
    );
    await gateway.gql(SET_ALIAS, { modelId: v1.model.id, alias: "production", versionId: v2.id });
    const rowsBefore = await gateway.rowCounts();

    const body = await gateway.gql("mutation ($id: ID!) { deleteModelVersion(id: $id) }", { id: v2.id });
    expect(body).toEqual({ data: { deleteModelVersion: true } });

    expect(await gateway.rowCounts()).toEqual({
      ...rowsBefore,
      versions: rowsBefore.versions - 1,
      files: rowsBefore.files - 2,
      blobs: rowsBefore.blobs - 1,
      aliases: rowsBefore.aliases - 1,
    });
    const blobs = await gateway.blobFiles();
    expect(blobs).not.toContain(sha256Of("doomed v2"));
    expect(blobs).toContain(sha256Of("doomed v1"));
    expect(blobs).toContain(sha256Of(shared));
    expect(await gateway.gql("query ($id: ID!) { modelVersion(id: $id) { id } }", { id: v2.id })).toEqual({
      data: { modelVersion: null },
    });
    expect(await gateway.gql(`{ model(slug: "doomed") { versions { version } aliases { alias } } }`)).toEqual(
      {
        data: { model: { versions: [{ version: "v1" }], aliases: [] } },
      },
    );
  });

  it("deleteModel removes the model, its versions and files, and keeps blobs another model uses", async () => {
    const keeper = await uploadModel(
      gateway,
      { slug: "keeper" },
      { "config.json": shared, "model.pt": "keeper" },
    );
    const { model } = await gateway
      .gql<{ model: { id: string } }>(`{ model(slug: "doomed") { id } }`)
      .then((body) => body.data!);
    const rowsBefore = await gateway.rowCounts();

    expect(await gateway.gql("mutation ($id: ID!) { deleteModel(id: $id) }", { id: model.id })).toEqual({
      data: { deleteModel: true },
    });

    expect(await gateway.rowCounts()).toEqual({
      ...rowsBefore,
      models: rowsBefore.models - 1,
      versions: rowsBefore.versions - 1,
      files: rowsBefore.files - 2,
      blobs: rowsBefore.blobs - 1,
    });
    const blobs = await gateway.blobFiles();
    expect(blobs).not.toContain(sha256Of("doomed v1"));
    expect(blobs).toContain(sha256Of(shared));
    expect(await gateway.gql(`{ model(slug: "doomed") { id } }`)).toEqual({ data: { model: null } });
    expect(keeper.files.map((f) => f.sha256)).toContain(sha256Of(shared));

    expectError(
      await gateway.gql("mutation ($id: ID!) { deleteModel(id: $id) }", { id: model.id }),
      "NOT_FOUND",
    );
  });

  it("keeps the blob files and rows in step after every deletion", async () => {
    const rows = await gateway.prisma.blob.findMany({ select: { sha256: true } });
    expect(rows.map((row) => row.sha256).sort()).toEqual(await gateway.blobFiles());
  });
});
