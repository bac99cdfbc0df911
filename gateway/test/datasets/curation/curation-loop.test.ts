import { createHash } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type DatasetFile } from "../../support/texture-dataset";
import { uploadDatasetZip } from "../uploads/dataset-uploads";
import { readCsvMapping } from "../../../src/datasets/csv/csv-mapping";
import { edit, VERSION_FIELDS } from "../edits/dataset-edits";
import { parseLabels, readZip } from "./read-zip";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const FIELDS = `${VERSION_FIELDS} unlabeledCount`;

let gateway: TestGateway;
let bob: string;
let files: DatasetFile[];
let pool: DatasetFile[];
beforeAll(async () => {
  const [started, textures, extra] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({ classes: 3, imagesPerClass: 21, seed: 61, minSide: 24, maxSide: 40 }),
    generateTextureDataset({ classes: 1, imagesPerClass: 2, seed: 62, minSide: 24, maxSide: 40 }),
  ]);
  gateway = started;
  files = textures.files;
  pool = extra.files.map((file) => ({ ...file, path: `_unlabeled/${path.basename(file.path)}` }));
  bob = await gateway.createMember("bob");
});
afterAll(() => gateway?.stop());

interface Diff {
  added: number;
  removed: number;
  relabelled: number;
  unchanged: number;
  classes: Array<{ name: string; added: number; removed: number; before: number; after: number }>;
}

async function diff(versionId: string, against: string): Promise<Diff> {
  const body = await gateway.gql<{ datasetVersion: { diff: Diff } }>(
    `query ($id: ID!, $against: ID!) { datasetVersion(id: $id) {
      diff(against: $against) { added removed relabelled unchanged classes { name added removed before after } } } }`,
    { id: versionId, against },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion.diff;
}

async function poolOf(versionId: string) {
  const body = await gateway.gql<{
    datasetVersion: {
      unlabeledCount: number;
      classes: Array<{ name: string }>;
      unlabeledSamples: {
        totalCount: number;
        edges: Array<{ node: { id: string; originalPath: string; class: null } }>;
      };
    };
  }>(
    `query ($id: ID!) { datasetVersion(id: $id) { unlabeledCount classes { name }
      unlabeledSamples(first: 10) { totalCount edges { node { id originalPath class { name } } } } } }`,
    { id: versionId },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion;
}

const isHeld = (file: DatasetFile) => /-020\./.test(file.path);
const isDropped = (file: DatasetFile) => /^red-stripes\/red-stripes-00[0-4]\./.test(file.path);

describe("a re-uploaded dataset, curated, exported and uploaded again", () => {
  const versions = { v1: "", v2: "", v4: "", v6: "" };

  it("diffs a re-upload by content: +3 added, -5 removed, 55 unchanged, and per class", async () => {
    const first = await uploadDatasetZip(
      gateway,
      { name: "loop" },
      await zipDatasetFiles(files.filter((f) => !isHeld(f))),
    );
    expect(first.version.imageCount).toBe(60);
    const second = await uploadDatasetZip(
      gateway,
      { name: "loop" },
      await zipDatasetFiles([...files.filter((f) => !isDropped(f)), ...pool]),
    );
    expect(second.version).toMatchObject({ number: 2, imageCount: 58, classCount: 3 });
    versions.v1 = first.version.id;
    versions.v2 = second.version.id;
    expect(await diff(versions.v2, versions.v1)).toEqual({
      added: 3,
      removed: 5,
      relabelled: 0,
      unchanged: 55,
      classes: [
        { name: "blue-dots", added: 1, removed: 0, before: 20, after: 21 },
        { name: "green-checkerboard", added: 1, removed: 0, before: 20, after: 21 },
        { name: "red-stripes", added: 1, removed: 5, before: 20, after: 16 },
      ],
    });
    const v2 = await poolOf(versions.v2);
    expect(v2.unlabeledCount).toBe(2);
    expect(v2.classes.map((c) => c.name)).not.toContain("_unlabeled");
    expect(v2.unlabeledSamples.totalCount).toBe(2);
    expect(v2.unlabeledSamples.edges.map((e) => e.node.originalPath)).toEqual(pool.map((f) => f.path).sort());
    expect(v2.unlabeledSamples.edges.every((e) => e.node.class === null)).toBe(true);
  });

  it("carries the pool through edits; relabelling labels it, deleting removes from it", async () => {
    const poolIds = (await poolOf(versions.v2)).unlabeledSamples.edges.map((e) => e.node.id);
    const rename = `mutation ($v: ID!) { renameClass(datasetVersionId: $v, from: "blue-dots", to: "navy-dots") { ${FIELDS} } }`;
    const v3 = await edit(gateway, "renameClass", rename, { v: versions.v2 });
    expect(v3).toMatchObject({ imageCount: 58, unlabeledCount: 2 });
    const relabel = `mutation ($v: ID!, $changes: [SampleLabelInput!]!) { relabelSamples(datasetVersionId: $v, changes: $changes) { ${FIELDS} } }`;
    const v4 = await edit(gateway, "relabelSamples", relabel, {
      v: v3.id,
      changes: [{ sampleId: poolIds[0], label: "green-checkerboard" }],
    });
    expect(v4).toMatchObject({ imageCount: 59, classCount: 3, unlabeledCount: 1 });
    expect((await poolOf(v4.id)).unlabeledSamples.edges.map((e) => e.node.id)).toEqual([poolIds[1]]);
    const refused = await gateway.gql(relabel, {
      v: v4.id,
      changes: [{ sampleId: poolIds[1], label: "_unlabeled" }],
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const remove = `mutation ($v: ID!, $ids: [ID!]!) { deleteSamples(datasetVersionId: $v, sampleIds: $ids) { ${FIELDS} } }`;
    const v5 = await edit(gateway, "deleteSamples", remove, { v: v4.id, ids: [poolIds[1]] });
    expect(v5).toMatchObject({ imageCount: 59, unlabeledCount: 0 });
    versions.v4 = v4.id;
  });

  it("labelPoolSamples adds stored images in one version, inside the caller's transaction", async () => {
    const edits = gateway.running.services.datasetEdits;
    const store = new LocalBlobStore(path.join(gateway.dataDir, "blobs"));
    const prediction = await sharp({ create: { width: 20, height: 16, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();
    const stored = await store.put(Readable.from([prediction]));
    const owner = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
    const input = {
      baseVersionId: versions.v4,
      labels: [],
      additions: [
        { sha256: stored.sha256, className: "navy-dots", originalPath: "predictions/p1.png" },
        { sha256: sha256(pool[1]!.bytes), className: null },
      ],
      message: "Corrections",
      createdById: owner.id,
    };
    const versionsBefore = await gateway.prisma.datasetVersion.count();
    await expect(
      gateway.prisma.$transaction(async (tx) => {
        await edits.labelPoolSamples(input, tx);
        throw new Error("the caller's own write failed");
      }),
    ).rejects.toThrow("the caller's own write failed");
    expect(await gateway.prisma.datasetVersion.count()).toBe(versionsBefore);

    const v6 = await edits.labelPoolSamples(input);
    expect(v6).toMatchObject({ source: "EDIT", message: "Corrections", imageCount: 60, unlabeledCount: 2 });
    const added = await gateway.prisma.sample.findFirstOrThrow({
      where: { originalPath: "predictions/p1.png" },
    });
    expect(added).toMatchObject({ sha256: stored.sha256, width: 20, height: 16, format: "png" });
    versions.v6 = v6.id;
  });

  it("exports a streamed ZIP that uploads again as the same content, and only to who may see it", async () => {
    const EXPORT = `mutation ($id: ID!) { exportDatasetVersion(id: $id) { url fileName expiresAt } }`;
    const hidden = await gateway.gql(EXPORT, { id: versions.v6 }, bob);
    expect(hidden.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const body = await gateway.gql<{
      exportDatasetVersion: { url: string; fileName: string; expiresAt: string };
    }>(EXPORT, { id: versions.v6 });
    expect(body.errors).toBeUndefined();
    const { url, fileName, expiresAt } = body.data!.exportDatasetVersion;
    expect(fileName).toBe("loop-v6.zip");
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const bare = url.split("?")[0]!;
    expect((await fetch(bare, { headers: { authorization: `Bearer ${bob}` } })).status).toBe(404);
    expect((await fetch(url.replace(/signature=[^&]+/, "signature=forged"))).status).toBe(401);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const zip = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(zip.length));
    const entries = await readZip(zip);
    expect(entries[0]!.name).toBe("labels.csv");
    expect(entries.every((entry) => entry.compressionMethod === 0)).toBe(true);

    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: versions.v6 },
      include: { sample: true, class: true },
    });
    const unlabeled = await gateway.prisma.unlabeledSample.findMany({
      where: { versionId: versions.v6 },
      include: { sample: true },
    });
    const expected = [
      ...members.map((m) => `${m.class.name}/${m.sample.sha256}`),
      ...unlabeled.map((u) => `_unlabeled/${u.sample.sha256}`),
    ].sort();
    const images = entries.slice(1);
    expect(images.map((e) => `${e.name.split("/")[0]}/${sha256(e.bytes)}`).sort()).toEqual(expected);
    const rows = parseLabels(entries[0]!.bytes);
    expect(rows.map((row) => row.path)).toEqual(images.map((e) => e.name));
    expect(rows.filter((row) => row.split === "unlabeled").map((row) => row.label)).toEqual(["", ""]);
    expect(rows.find((row) => row.path.startsWith("navy-dots/"))).toMatchObject({ label: "navy-dots" });

    const again = await uploadDatasetZip(gateway, { name: "loop" }, zip);
    expect(again.version).toMatchObject({ imageCount: 60, classCount: 3 });
    expect(again.skipped.map((s) => s.path)).toEqual(["labels.csv"]);
    expect(await diff(again.version.id, versions.v6)).toMatchObject({
      added: 0,
      removed: 0,
      relabelled: 0,
      unchanged: 60,
    });
    expect((await poolOf(again.version.id)).unlabeledCount).toBe(2);

    // uploadDatasetCsv reads the same labels back: the pool rows as pool, the rest under their label.
    const mapped = await readCsvMapping(Readable.from([entries[0]!.bytes]), 1000);
    expect(mapped.filter((row) => row.label === "_unlabeled").map((row) => row.path)).toEqual(
      rows.filter((row) => row.split === "unlabeled").map((row) => row.path),
    );
    expect(new Set(mapped.map((row) => row.label))).toEqual(
      new Set(["red-stripes", "green-checkerboard", "navy-dots", "_unlabeled"]),
    );
  });
});
