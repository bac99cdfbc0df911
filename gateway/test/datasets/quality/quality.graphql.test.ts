import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type TextureDataset } from "../../support/texture-dataset";
import { finished, upload } from "../embeddings/embeddings-api";
import { generateGarmentSet } from "./garment-set";

const UPLOAD = `
  mutation ($input: DatasetInput!, $archive: Upload!) {
    uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) {
      version { id skipped { path reason } }
    }
  }`;

const REPORT_FIELDS = `
  score computedAt usedEmbeddings embeddingSpace notes
  baseModelVersion { id }
  deductions { kind points reason }
  findings {
    kind severity sampleIds recommendation explanation details dismissed
    dismissal { reason dismissedAt dismissedBy { handle } }
  }`;

const QUALITY = `
  query ($id: ID!, $base: ID) {
    datasetVersion(id: $id) {
      quality(baseModelVersionId: $base) {
        ${REPORT_FIELDS}
      }
    }
  }`;

const DISMISS = `
  mutation ($id: ID!, $kind: QualityFindingKind!, $reason: String) {
    dismissQualityFinding(versionId: $id, kind: $kind, reason: $reason) { ${REPORT_FIELDS} }
  }`;

const RESTORE = `
  mutation ($id: ID!, $kind: QualityFindingKind!) {
    restoreQualityFinding(versionId: $id, kind: $kind) { ${REPORT_FIELDS} }
  }`;

interface Finding {
  kind: string;
  severity: string;
  sampleIds: string[];
  recommendation: string;
  explanation: string;
  details: Record<string, unknown>;
  dismissed: boolean;
  dismissal: { reason: string | null; dismissedAt: string; dismissedBy: { handle: string } | null } | null;
}
interface Report {
  score: number;
  computedAt: string;
  usedEmbeddings: boolean;
  embeddingSpace: string | null;
  notes: string[];
  baseModelVersion: { id: string } | null;
  deductions: Array<{ kind: string; points: number; reason: string }>;
  findings: Finding[];
}

const scoreOf = (deductions: Report["deductions"]) =>
  Math.round((100 - deductions.reduce((sum, d) => sum + d.points, 0)) * 10) / 10;

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
    // Stored: the analysis without a base model; the score is worked out on each read.
    expect(stored.quality).toMatchObject({ analysisVersion: 2, computedAt: report.computedAt });
    expect(report.score).toBe(scoreOf(report.deductions));
    const again = await gateway.gql<{ datasetVersion: { quality: Report } }>(QUALITY, { id: version.id });
    expect(again.data!.datasetVersion.quality).toEqual(report);
  });

  it("judges a Fashion-MNIST-like set relative to itself, confirms by embeddings, and lets the owner dismiss", async () => {
    const garments = await generateGarmentSet(12);
    const uploaded = await upload(gateway, "garments", await zipDatasetFiles(garments.files));
    const versionId = uploaded.version.id;
    expect((await finished(gateway, versionId, "FEATURE/v2/256")).state).toBe("SUCCEEDED");
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId },
      include: { sample: true },
    });
    const pathOf = new Map(members.map((m) => [m.sampleId, m.sample.originalPath]));
    const read = async (base?: string) => {
      const body = await gateway.gql<{ datasetVersion: { quality: Report } }>(QUALITY, {
        id: versionId,
        base,
      });
      expect(body.errors).toBeUndefined();
      return body.data!.datasetVersion.quality;
    };
    const report = await read();
    expect(report).toMatchObject({
      usedEmbeddings: true,
      embeddingSpace: "FEATURE/v2/256",
      baseModelVersion: null,
    });
    expect(report.notes[0]).toMatch(/^Sizes were not judged/);
    const flagged = (kind: string, from = report) =>
      (from.findings.find((f) => f.kind === kind)?.sampleIds ?? []).map((id) => pathOf.get(id)!);
    // Every clean image stays unflagged but the originals of the planted copies; each plant is found.
    const sources = garments.planted.flatMap((p) => (p.source ? [p.source] : []));
    const clean = new Set(garments.clean.filter((path) => !sources.includes(path)));
    for (const kind of [
      "LOW_RESOLUTION",
      "UNDER_EXPOSED",
      "OVER_EXPOSED",
      "BLURRY",
      "NEAR_DUPLICATES",
      "SUSPECTED_LABEL_ERRORS",
    ]) {
      expect({ kind, clean: flagged(kind).filter((path) => clean.has(path)) }).toEqual({ kind, clean: [] });
    }
    expect(flagged("UNDER_EXPOSED")).toEqual(["shirt/shirt-black.png"]);
    expect(flagged("OVER_EXPOSED")).toEqual(["bag/bag-washed-out.png"]);
    expect(flagged("BLURRY")).toEqual(["sneaker/sneaker-blurred.png"]);
    expect(flagged("SUSPECTED_LABEL_ERRORS")).toEqual(["bag/bag-boot.png"]);
    expect(flagged("NEAR_DUPLICATES")).toEqual(["dress/dress-007.png", "dress/dress-reencoded.jpg"]);
    expect(report.findings.find((f) => f.kind === "NEAR_DUPLICATES")!.details.confirmedByEmbeddings).toBe(
      true,
    );

    // Against the built-in embedder (128×128) every 28 px image is enlarged 4.6×.
    const embedder = await gateway.prisma.modelVersion.findFirstOrThrow({
      where: { model: { slug: "feature-embedder" } },
    });
    const judged = await read(embedder.id);
    expect(judged.baseModelVersion).toEqual({ id: embedder.id });
    expect(flagged("LOW_RESOLUTION", judged)).toHaveLength(garments.files.length);
    expect(judged.findings.find((f) => f.kind === "LOW_RESOLUTION")!.recommendation).toContain(
      'the 128×128 input of base model v1 of "feature-embedder", which will upscale them 4.6×',
    );

    const member = await gateway.createMember("quality-stranger");
    const strangers = await gateway.gql(DISMISS, { id: versionId, kind: "BLURRY" }, member);
    expect(strangers.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    const dismissed = await gateway.gql<{ dismissQualityFinding: Report }>(DISMISS, {
      id: versionId,
      kind: "OVER_EXPOSED",
      reason: "a washed-out bag is what the shop's camera makes",
    });
    expect(dismissed.errors).toBeUndefined();
    const after = dismissed.data!.dismissQualityFinding;
    expect(after.findings.find((f) => f.kind === "OVER_EXPOSED")).toMatchObject({
      dismissed: true,
      dismissal: {
        reason: "a washed-out bag is what the shop's camera makes",
        dismissedBy: { handle: "admin" },
      },
    });
    expect(after.deductions).toEqual(report.deductions.filter((d) => d.kind !== "OVER_EXPOSED"));
    expect(after.score).toBeGreaterThan(report.score);
    expect(after.score).toBe(scoreOf(after.deductions));
    expect((await read()).findings.find((f) => f.kind === "OVER_EXPOSED")!.dismissed).toBe(true);

    const restored = await gateway.gql<{ restoreQualityFinding: Report }>(RESTORE, {
      id: versionId,
      kind: "OVER_EXPOSED",
    });
    expect(restored.data!.restoreQualityFinding.score).toBe(report.score);
  });
});
