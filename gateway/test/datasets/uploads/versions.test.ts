import { Readable } from "node:stream";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type TextureDataset } from "../../support/texture-dataset";
import { postDatasetZip, sha256Of, storedState, uploadDatasetZip } from "./dataset-uploads";

let gateway: TestGateway;
let textures: TextureDataset;
beforeAll(async () => {
  [gateway, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({ classes: 4, imagesPerClass: 6, seed: 7, inject: ["duplicate"] }),
  ]);
});
afterAll(() => gateway?.stop());

describe("uploadDataset with a ZIP of class folders", () => {
  it("creates the dataset and version 1 with one sample and membership per image", async () => {
    // The gateway stores its built-in models' files at start.
    const blobsBefore = await gateway.blobFiles();
    const result = await uploadDatasetZip(
      gateway,
      { name: "textures", description: "procedural", tags: ["test"] },
      await zipDatasetFiles(textures.files),
    );
    // 24 clean images and one exact duplicate of one of them, in its own class folder.
    expect(result).toMatchObject({ imageCount: 25, classCount: 4, skipped: [] });
    expect(result.version).toMatchObject({ number: 1, source: "ZIP", imageCount: 25, classCount: 4 });
    expect(result.dataset).toMatchObject({
      name: "textures",
      description: "procedural",
      tags: ["test"],
      isPublic: false,
    });

    const classes = await gateway.prisma.datasetClass.findMany({
      where: { datasetId: result.dataset.id },
      orderBy: { name: "asc" },
    });
    expect(classes.map((c) => c.name)).toEqual([...textures.classNames].sort());
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: result.version.id },
      include: { sample: true, class: true },
    });
    const byPath = new Map(members.map((m) => [m.sample.originalPath, m]));
    expect([...byPath.keys()].sort()).toEqual(textures.files.map((f) => f.path).sort());
    for (const image of textures.images) {
      const member = byPath.get(image.path)!;
      expect(member.class.name).toBe(image.className);
      expect(member.split).toBeNull();
      expect(member.sample).toMatchObject({
        format: image.format,
        width: image.width,
        height: image.height,
        frameCount: 1,
      });
    }
    // The duplicate is a sample of its own with the same bytes: listed twice, stored once.
    const duplicate = textures.injected[0]!;
    expect(byPath.get(duplicate.path)!.sample.sha256).toBe(byPath.get(duplicate.source!)!.sample.sha256);
    const distinct = new Set(textures.files.map((f) => sha256Of(f.bytes)));
    expect(distinct.size).toBe(24);
    expect(await gateway.blobFiles()).toEqual([...blobsBefore, ...distinct].sort());
    expect(await gateway.prisma.blob.count({ where: { sha256: { in: [...distinct] } } })).toBe(24);
    expect(await gateway.tempFileCount()).toBe(0);
  });

  it("adds version 2 with its own content on a second upload, leaving version 1 as it was", async () => {
    const before = await gateway.prisma.datasetVersion.findFirstOrThrow({
      where: { number: 1, dataset: { name: "textures" } },
    });
    const firstMembers = await gateway.prisma.versionSample.count({ where: { versionId: before.id } });
    const smaller = await generateTextureDataset({ classes: 2, imagesPerClass: 3, seed: 8 });
    const result = await uploadDatasetZip(
      gateway,
      { name: "textures", isPublic: true },
      await zipDatasetFiles(smaller.files),
    );
    expect(result.version).toMatchObject({ number: 2, imageCount: 6, classCount: 2 });
    // Details not given keep their value; given ones change.
    expect(result.dataset).toMatchObject({ description: "procedural", tags: ["test"], isPublic: true });
    expect(await gateway.prisma.versionSample.count({ where: { versionId: before.id } })).toBe(firstMembers);
    expect(await gateway.prisma.versionSample.count({ where: { versionId: result.version.id } })).toBe(6);
    // Classes are per dataset, reused by name across versions.
    expect(await gateway.prisma.datasetClass.count({ where: { datasetId: result.dataset.id } })).toBe(4);
  });

  it("turns two uploads of one new name at once into versions 1 and 2", async () => {
    const [a, b] = await Promise.all([
      generateTextureDataset({ classes: 2, imagesPerClass: 2, seed: 21 }),
      generateTextureDataset({ classes: 3, imagesPerClass: 2, seed: 22 }),
    ]);
    const [zipA, zipB] = await Promise.all([zipDatasetFiles(a.files), zipDatasetFiles(b.files)]);
    const results = await Promise.all([
      uploadDatasetZip(gateway, { name: "race" }, zipA),
      uploadDatasetZip(gateway, { name: "race" }, zipB),
    ]);
    expect(results.map((r) => r.version.number).sort()).toEqual([1, 2]);
    expect(results.map((r) => r.imageCount)).toEqual([4, 6]);
    expect(new Set(results.map((r) => r.dataset.id)).size).toBe(1);
  });

  it("requires a signed-in user and stores nothing without one", async () => {
    const before = await storedState(gateway);
    const zip = await zipDatasetFiles(textures.files.slice(0, 2));
    const body = await postDatasetZip(gateway, { name: "anonymous" }, zip, null);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await storedState(gateway)).toEqual(before);
  });
});

const UPLOAD_WITH_PROGRESS = `
  mutation ($input: DatasetInput!, $archive: Upload!, $progressId: ID) {
    uploadDataset(input: $input, archive: $archive, progressId: $progressId, generateEmbeddings: false) {
      imageCount
    }
  }`;

const UPLOAD_PROGRESS = `
  subscription ($progressId: ID!) {
    datasetUploadProgress(progressId: $progressId) { phase processed total rejected etaSeconds }
  }`;

describe("datasetUploadProgress", () => {
  it("follows an upload by its progress id from RECEIVING to DONE with the final counts", async () => {
    const progressId = "versions-test-progress-1";
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    const phases: string[] = [];
    let last: Record<string, unknown> | undefined;
    let sawReceiving!: () => void;
    const receiving = new Promise<void>((resolve) => (sawReceiving = resolve));
    const followed = (async () => {
      for await (const result of client.iterate<{ datasetUploadProgress: Record<string, unknown> }>({
        query: UPLOAD_PROGRESS,
        variables: { progressId },
      })) {
        last = result.data!.datasetUploadProgress;
        phases.push(last.phase as string);
        if (last.phase === "RECEIVING") sawReceiving();
      }
    })();
    // The archive's second half is sent only once the subscriber has seen the upload begin, so it
    // cannot join after the end, however the two connections are scheduled.
    const zip = await zipDatasetFiles(textures.files);
    async function* archive() {
      yield zip.subarray(0, zip.length / 2);
      await receiving;
      yield zip.subarray(zip.length / 2);
    }
    const body = await gateway.upload<{ uploadDataset: { imageCount: number } }>(
      UPLOAD_WITH_PROGRESS,
      { input: { name: "followed" }, progressId },
      [{ variable: "archive", filename: "dataset.zip", content: Readable.from(archive()) }],
    );
    expect(body.errors).toBeUndefined();
    await followed;
    await client.dispose();
    expect(body.data!.uploadDataset.imageCount).toBe(25);
    expect(phases[0]).toBe("RECEIVING");
    expect(phases.at(-1)).toBe("DONE");
    const order = ["RECEIVING", "CHECKING", "SAVING", "DONE"];
    expect(phases.map((phase) => order.indexOf(phase))).toEqual(
      [...phases.map((phase) => order.indexOf(phase))].sort((a, b) => a - b),
    );
    expect(last).toEqual({ phase: "DONE", processed: 25, total: 25, rejected: 0, etaSeconds: 0 });
  });
});
