import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECONSTRUCT_JOB } from "../../src/reconstructions/reconstruction-job-kind";
import type { TestGateway } from "../support/gateway";
import { blenderScene, createScene, photo, startSceneGateway, storedSceneState } from "./scene-archives";

let gateway: TestGateway;
let ada: string;
beforeAll(async () => {
  gateway = await startSceneGateway();
  ada = await gateway.createMember("ada");
});
afterAll(() => gateway?.stop());

const DELETE = `mutation ($id: ID!) { deleteScene(id: $id) }`;

/** A reconstruction of the scene whose job is in `status`, as startReconstruction would leave it. */
async function insertReconstruction(sceneId: string, status: "QUEUED" | "RUNNING") {
  const { prisma } = gateway;
  const ownerId = (await prisma.user.findUniqueOrThrow({ where: { handle: "ada" } })).id;
  const job = await prisma.job.create({
    data: { kind: RECONSTRUCT_JOB, payload: {}, ownerId, maxAttempts: 1, status },
  });
  await prisma.reconstruction.create({
    data: { id: job.id, ownerId, method: "RADIANCE_FIELD", sceneId, settings: {} },
  });
  await prisma.job.update({ where: { id: job.id }, data: { payload: { reconstructionId: job.id } } });
  return job.id;
}

describe("deleteScene while the scene is being reconstructed", () => {
  it("refuses with CONFLICT until its reconstructions finish, then leaves them without a scene", async () => {
    const files = await blenderScene(8, (i) => photo(16, 16, [i * 25, 40, 90]));
    const sceneId = (await createScene(gateway, { name: "busy" }, files, ada)).scene.id;
    const running = await insertReconstruction(sceneId, "RUNNING");
    const queued = await insertReconstruction(sceneId, "QUEUED");
    const before = await storedSceneState(gateway);

    const refused = await gateway.gql(DELETE, { id: sceneId }, ada);
    expect(refused.errors![0]).toMatchObject({
      extensions: { code: "CONFLICT" },
      message:
        `Scene ${sceneId} is being reconstructed: cancel its 2 running reconstructions first ` +
        "(cancelReconstruction), then delete it",
    });
    // The scene, its 8 frames and their 16 files (image and thumbnail) are all still there.
    expect(await storedSceneState(gateway)).toEqual(before);
    expect(await gateway.prisma.sceneFrame.count({ where: { sceneId } })).toBe(8);

    await gateway.prisma.job.update({ where: { id: running }, data: { status: "SUCCEEDED" } });
    const stillQueued = await gateway.gql(DELETE, { id: sceneId }, ada);
    expect(stillQueued.errors![0]!.message).toContain("cancel its 1 running reconstruction first");

    await gateway.prisma.job.update({ where: { id: queued }, data: { status: "CANCELLED" } });
    expect((await gateway.gql(DELETE, { id: sceneId }, ada)).data).toEqual({ deleteScene: true });
    expect(await storedSceneState(gateway)).toEqual({
      ...before,
      scenes: before.scenes - 1,
      frames: before.frames - 8,
      blobs: before.blobs - 16,
      blobFiles: before.blobFiles - 16,
    });
    const kept = await gateway.prisma.reconstruction.findMany({ where: { id: { in: [running, queued] } } });
    expect(kept.map((r) => r.sceneId)).toEqual([null, null]);
  });
});
