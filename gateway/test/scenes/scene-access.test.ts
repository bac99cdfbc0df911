import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/gateway";
import { blenderScene, createScene, photo, startSceneGateway, storedSceneState } from "./scene-archives";

let gateway: TestGateway;
let ada: string;
let bob: string;
let privateScene: string;
let publicScene: string;
beforeAll(async () => {
  gateway = await startSceneGateway();
  [ada, bob] = await Promise.all([gateway.createMember("ada"), gateway.createMember("bob")]);
  const files = await blenderScene(8, (i) => photo(16, 16, [i * 20, 50, 200]));
  privateScene = (await createScene(gateway, { name: "ada's private" }, files, ada)).scene.id;
  publicScene = (await createScene(gateway, { name: "ada's public", public: true }, files, ada)).scene.id;
});
afterAll(() => gateway?.stop());

const LIST = `query ($filter: SceneFilter) { scenes(filter: $filter, first: 10) { totalCount edges { node { name frames { id } } } } }`;
const SCENE = `query ($id: ID!) { scene(id: $id) { name frames { id imageUrl } } }`;
const DELETE = `mutation ($id: ID!) { deleteScene(id: $id) }`;
const names = (body: { data?: { scenes: { edges: Array<{ node: { name: string } }> } } | null }) =>
  body.data!.scenes.edges.map((edge) => edge.node.name);

describe("scenes are owned and private by default", () => {
  it("lists your own scenes and public ones, newest first", async () => {
    expect(names(await gateway.gql(LIST, {}, ada))).toEqual(["ada's public", "ada's private"]);
    expect(names(await gateway.gql(LIST, {}, bob))).toEqual(["ada's public"]);
    expect(names(await gateway.gql(LIST, {}, null))).toEqual(["ada's public"]);
    expect(names(await gateway.gql(LIST, { filter: { owner: "ada", public: false } }, ada))).toEqual([
      "ada's private",
    ]);
  });

  it("lists scenes with their frames in a constant number of statements", async () => {
    gateway.sqlStatements.length = 0;
    await gateway.gql(LIST, {}, ada);
    // Token check, the page, the scenes, the frames: not one statement per scene.
    expect(gateway.sqlStatements.filter((sql) => /"SceneFrame"/.test(sql))).toHaveLength(1);
  });

  it("answers NOT_FOUND to another user for a private scene, its frame files and its deletion", async () => {
    const own = await gateway.gql<{ scene: { frames: Array<{ id: string; imageUrl: string }> } }>(
      SCENE,
      { id: privateScene },
      ada,
    );
    expect(own.data!.scene.frames).toHaveLength(8);
    const seen = await gateway.gql(SCENE, { id: privateScene }, bob);
    expect(seen.errors![0]).toMatchObject({
      extensions: { code: "NOT_FOUND" },
      message: `Scene ${privateScene} not found`,
    });
    const frameId = own.data!.scene.frames[0]!.id;
    const file = await fetch(`${gateway.url}/files/scene-frames/${frameId}/image`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(file.status).toBe(404);
    const deleted = await gateway.gql(DELETE, { id: privateScene }, bob);
    expect(deleted.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect(await gateway.prisma.scene.count({ where: { id: privateScene } })).toBe(1);
  });

  it("lets another user see a public scene and its frames, but not delete it", async () => {
    const seen = await gateway.gql<{ scene: { frames: Array<{ imageUrl: string }> } }>(
      SCENE,
      { id: publicScene },
      bob,
    );
    expect(seen.errors).toBeUndefined();
    expect((await fetch(seen.data!.scene.frames[0]!.imageUrl)).status).toBe(200);
    const deleted = await gateway.gql(DELETE, { id: publicScene }, bob);
    expect(deleted.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });

  it("keeps frame files through the orphan sweep: SceneFrame rows reference them", async () => {
    const before = await storedSceneState(gateway);
    const { references } = gateway.running.services.datasetUploads;
    expect(await references.releaseUnreferenced(10_000)).toEqual([]);
    expect(await storedSceneState(gateway)).toEqual(before);
  });

  it("deletes a scene for its owner, releasing the files no other scene uses", async () => {
    const before = await storedSceneState(gateway);
    // Both scenes hold the same photos: deleting one keeps the shared files.
    expect((await gateway.gql(DELETE, { id: privateScene }, ada)).data).toEqual({ deleteScene: true });
    const after = await storedSceneState(gateway);
    expect(after).toEqual({ ...before, scenes: before.scenes - 1, frames: before.frames - 8 });
    // The last scene holding them: its 8 images and 8 thumbnails go (an admin may delete it).
    expect((await gateway.gql(DELETE, { id: publicScene })).data).toEqual({ deleteScene: true });
    expect(await storedSceneState(gateway)).toEqual({
      ...after,
      scenes: after.scenes - 1,
      frames: after.frames - 8,
      blobs: after.blobs - 16,
      blobFiles: after.blobFiles - 16,
    });
  });
});
