import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { failedPrecondition, notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { createZipStream, type ZipSourceFile } from "../../archives/zip-writer";
import type { BlobReferences } from "../../blobs/blob-references";
import type { FileBackedBlobStore as BlobStore } from "../../storage/file-backed";
import { canSee, requireViewer, type Viewer } from "../../users/access";
import { CLOCK_SKEW_SECONDS } from "../../http/url-signer";
import { encodeNpy, isNpyType, type NpyTensor } from "./npy";
import { limits } from "../../limits";
import { runOnnx } from "./onnx-run";
import { packageFilesProblem, testTensorCountProblem, testTensorProblem } from "./package-bounds";
import { formatManifest, MANIFEST_FILE } from "./package-manifest";
import { packageFacts, packageMetadata, type ExportedVersion } from "./package-facts";
import {
  CATEGORIES_FILE,
  METADATA_FILE,
  MODEL_FOLDER,
  README_FILE,
  TEST_DATA_FOLDER,
} from "./package-metadata";
import { modelCard } from "./model-card";
import { deterministicInput } from "./test-pair";

/** A built package, stored as an expiring download (an InferenceArtifact row) for its viewer. */
export interface ExportedPackage {
  artifactId: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  expiresAt: Date;
}

/**
 * exportModelPackage: builds the .tessera ZIP once, streamed from the blob store into the blob store
 * (only the small generated files are in memory), so its size and sha256 are known before the link
 * is handed out, and keeps it as long as a signed link to it can live.
 */
export class PackageExports {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
  ) {}

  async export(viewer: Viewer | null, versionId: string, signal?: AbortSignal): Promise<ExportedPackage> {
    const user = requireViewer(viewer);
    const version = await this.visibleVersion(user, versionId);
    const primary = version.files.find((file) => file.isPrimary);
    if (version.model.framework !== "ONNX" || !primary?.path.toLowerCase().endsWith(".onnx")) {
      throw failedPrecondition(
        `Only ONNX versions can be packaged; ${version.model.slug} ${version.version} is ${version.model.framework}`,
      );
    }
    const facts = packageFacts(version, user, this.config.deploymentLimits);
    const refuse = (problem: string | null) => {
      if (problem) {
        throw failedPrecondition(
          `${version.model.slug} ${version.version} cannot be packaged: ${problem}, so an import would refuse it`,
        );
      }
    };
    const feeds = this.testInputs(facts.inputs, version.version);
    refuse(testTensorCountProblem("inputs", feeds.length));
    for (const feed of feeds) refuse(testTensorProblem("input", feed.name, feed.tensor.data.length));
    const run = await this.store.withLocalFile(primary.sha256, (file) =>
      runOnnx(file, Object.fromEntries(feeds.map((f) => [f.name, f.tensor])), {
        signal,
        maxValues: limits.serving.packageTestValues,
      }),
    );
    if (!run.ok)
      throw failedPrecondition(
        `ONNX Runtime could not run ${primary.path}, so no test pair can be made: ${run.reason}`,
      );
    // Numeric outputs over the bound come back without their data: refused, not left out.
    for (const output of run.outputs) {
      if (isNpyType(output.type)) refuse(testTensorProblem("output", output.name, output.values));
    }
    const outputs = run.outputs.filter((output) => output.tensor !== null);
    if (outputs.length === 0) {
      throw failedPrecondition(`${primary.path} gives no numeric output, so no test pair can be made`);
    }
    refuse(testTensorCountProblem("outputs", outputs.length));
    const created = new Date();
    const generated = new Map<string, Buffer>();
    const testFile = (kind: "input" | "output", index: number) => `${TEST_DATA_FOLDER}${kind}_${index}.npy`;
    feeds.forEach((feed, index) => generated.set(testFile("input", index), encodeNpy(feed.tensor)));
    outputs.forEach((output, index) =>
      generated.set(testFile("output", index), encodeNpy(output.tensor as NpyTensor)),
    );
    const metadata = packageMetadata(facts, created, `${MODEL_FOLDER}${primary.path}`, {
      inputs: feeds.map((feed, index) => ({ name: feed.name, file: testFile("input", index) })),
      outputs: outputs.map((output, index) => ({ name: output.name, file: testFile("output", index) })),
    });
    generated.set(METADATA_FILE, Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`));
    generated.set(CATEGORIES_FILE, Buffer.from(`${JSON.stringify(version.labels, null, 2)}\n`));
    generated.set(README_FILE, Buffer.from(modelCard(metadata, version.labels)));

    const hashes = new Map<string, string>();
    for (const [path, bytes] of generated) hashes.set(path, createHash("sha256").update(bytes).digest("hex"));
    // Blobs are content-addressed: a stored file's name is its sha256.
    for (const file of version.files) hashes.set(`${MODEL_FOLDER}${file.path}`, file.sha256);
    generated.set(MANIFEST_FILE, Buffer.from(formatManifest(hashes)));
    refuse(
      packageFilesProblem(
        [
          ...[...generated].map(([path, bytes]) => ({ path, sizeBytes: bytes.length, generated: true })),
          ...version.files.map((file) => ({
            path: `${MODEL_FOLDER}${file.path}`,
            sizeBytes: Number(file.sizeBytes),
            generated: false,
          })),
        ].filter((file) => file.path !== MANIFEST_FILE),
        this.config.limits.archive,
      ),
    );

    const inMemory = (path: string): ZipSourceFile => {
      const bytes = generated.get(path)!;
      return { path, sizeBytes: bytes.length, open: () => Readable.from([bytes]) };
    };
    const entries: ZipSourceFile[] = [
      ...[MANIFEST_FILE, METADATA_FILE, CATEGORIES_FILE, README_FILE].map(inMemory),
      ...[...version.files]
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((file) => ({
          path: `${MODEL_FOLDER}${file.path}`,
          sizeBytes: Number(file.sizeBytes),
          open: () => this.store.openRead(file.sha256),
        })),
      ...[...generated.keys()].filter((path) => path.startsWith(TEST_DATA_FOLDER)).map(inMemory),
    ];
    const filename = `${safeName(version.model.owner.handle)}-${safeName(version.model.slug)}-${safeName(version.version)}.tessera`;
    const stored = await this.store.put(createZipStream(entries, { modifiedAt: created }));
    if (stored.sizeBytes > this.config.limits.maxUploadBytes) {
      await this.references.release([stored.sha256]);
      refuse(
        `it would be ${stored.sizeBytes} bytes; an upload holds at most ${this.config.limits.maxUploadBytes}`,
      );
    }
    // Kept a little longer than a link signed now can live (replicas' clocks differ by up to the skew).
    const expiresAt = new Date(
      created.getTime() + (this.config.signedUrlTtlSeconds + CLOCK_SKEW_SECONDS) * 1000,
    );
    try {
      const row = await this.prisma.$transaction(async (tx) => {
        await this.references.record(tx, [stored]);
        return tx.inferenceArtifact.create({
          data: {
            ownerId: user.id,
            sha256: stored.sha256,
            contentType: "application/zip",
            fileName: filename,
            expiresAt,
          },
        });
      });
      return { artifactId: row.id, filename, sizeBytes: stored.sizeBytes, sha256: stored.sha256, expiresAt };
    } catch (error) {
      await this.references.release([stored.sha256]);
      throw error;
    }
  }

  private testInputs(
    inputs: ExportedVersion["inputs"],
    version: string,
  ): Array<{ name: string; tensor: NpyTensor }> {
    if (inputs.length === 0)
      throw failedPrecondition(`Version ${version} has no inputs recorded: its ONNX file was not read`);
    return inputs.map((input, index) => {
      if (!isNpyType(input.dataType)) {
        throw failedPrecondition(
          `Input "${input.name}" takes ${input.dataType}; a test pair can be made for float32, float64, int32, int64, uint8 and int8 inputs`,
        );
      }
      return { name: input.name, tensor: deterministicInput(input, index + 1) };
    });
  }

  private async visibleVersion(viewer: Viewer, versionId: string) {
    const row = isUuid(versionId)
      ? await this.prisma.modelVersion.findUnique({
          where: { id: versionId },
          include: {
            model: { include: { owner: { select: { handle: true } } } },
            files: true,
            deployment: { select: { config: true } },
            trainedFrom: { include: { model: true } },
            trainedOn: { include: { dataset: true } },
          },
        })
      : null;
    if (!row || !canSee(viewer, row.model)) throw notFound(`Model version ${versionId}`);
    return row;
  }
}

const safeName = (part: string) => part.replace(/[^A-Za-z0-9._-]+/g, "_");
