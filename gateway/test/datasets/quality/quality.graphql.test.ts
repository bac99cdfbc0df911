import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type TextureDataset } from "../../support/texture-dataset";

const UPLOAD = `
  mutation ($input: DatasetInput!, $archive: Upload!) {
    uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) {
      version { id skipped { path reason } }
    }
  }`;

const QUALITY = `
  query ($id: ID!) {
    datasetVersion(id: $id) {
      quality {
        score computedAt usedEmbeddings embeddingSpace
        findings { kind severity sampleIds recommendation details }
      }
    }
  }`;

interface Finding {
  kind: string;
  severity: string;
  sampleIds: string[];
  recommendation: string;
  details: Record<string, unknown>;
}
interface Report {
  score: number;
  computedAt: string;
  usedEmbeddings: boolean;
  embeddingSpace: string | null;
  findings: Finding[];
}

let gateway: TestGateway;
let textures: TextureDataset;
beforeAll(async () => {
  [gateway, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({
      classes: 4,
      imagesPerClass: 6,
      seed: 7,
      inject: ["not-an-image", "duplicate", "near-duplicate", "blurred", "over-exposed"],
    }),
  ]);
});
afterAll(() => gateway?.stop());

describe("DatasetVersion.quality after uploadDataset", () => {
  it("reports the injected problems with their sample ids, and the same report on a second read", async () => {
    const upload = await gateway.upload<{ uploadDataset: { version: { id: string; skipped: unknown[] } } }>(
      UPLOAD,
      { input: { name: "quality-textures" } },
      [
        {
          variable: "archive",
          filename: "dataset.zip",
          content: await zipDatasetFiles(textures.files),
          contentType: "application/zip",
        },
      ],
    );
    expect(upload.errors).toBeUndefined();
    const version = upload.data!.uploadDataset.version;
    const body = await gateway.gql<{ datasetVersion: { quality: Report } }>(QUALITY, { id: version.id });
    expect(body.errors).toBeUndefined();
    const report = body.data!.datasetVersion.quality;

    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: version.id },
      include: { sample: true },
    });
    const idOf = (path: string) => members.find((m) => m.sample.originalPath === path)!.sampleId;
    const injected = (kind: string) => textures.injected.find((file) => file.kind === kind)!;
    const finding = (kind: string) => report.findings.find((f) => f.kind === kind);

    expect(report.usedEmbeddings).toBe(false);
    expect(report.embeddingSpace).toBeNull();
    expect(finding("EXACT_DUPLICATES")).toMatchObject({
      severity: "WARNING",
      // In path order: "blue-dots/blue-dots-002.png" before "blue-dots/duplicate-of-…".
      sampleIds: [idOf(injected("duplicate").source!), idOf(injected("duplicate").path)],
      recommendation:
        "Remove 1 exact duplicate (keep one of each group) so they don't leak between train and validation",
    });
    expect(finding("UNREADABLE_FILES")).toMatchObject({
      sampleIds: [],
      details: { files: version.skipped },
    });
    expect(finding("UNREADABLE_FILES")!.details.files).toEqual([
      expect.objectContaining({ path: injected("not-an-image").path }),
    ]);
    expect(finding("NEAR_DUPLICATES")!.sampleIds).toEqual(
      expect.arrayContaining([
        idOf(injected("near-duplicate").path),
        idOf(injected("near-duplicate").source!),
      ]),
    );
    expect(finding("BLURRY")!.sampleIds).toContain(idOf(injected("blurred").path));
    expect(finding("OVER_EXPOSED")!.sampleIds).toEqual([idOf(injected("over-exposed").path)]);
    expect(finding("UNDER_EXPOSED")).toBeUndefined();
    expect(finding("SMALL_CLASSES")).toBeUndefined();
    expect(report.score).toBeGreaterThan(0);
    expect(report.score).toBeLessThan(100);

    const stored = await gateway.prisma.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(stored.quality).toMatchObject({ score: report.score, computedAt: report.computedAt });
    const again = await gateway.gql<{ datasetVersion: { quality: Report } }>(QUALITY, { id: version.id });
    expect(again.data!.datasetVersion.quality).toEqual(report);
  });
});
