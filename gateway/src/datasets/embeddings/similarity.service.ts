import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import { badInput, notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { checkRange, limits } from "../../limits";
import { assertCanSee, isAdmin, type Viewer } from "../../users/access";
import type { VectorStore } from "../../vectors/vector-store";
import { parseVectorText } from "../../vectors/vector-text";
import type { Sample } from "../datasets.types";
import { toSpaceRow, type SpaceRow } from "./embedding-spaces";
import { type SampleEmbedding, type SimilarSample } from "./embeddings.types";
import type { TierEmbedder } from "./tier-embedder";

export interface SimilarQuery {
  datasetId?: string | null;
  sampleId?: string | null;
  /** An image's bytes, embedded in the space's method. */
  image?: Buffer | null;
  k: number;
  space?: string | null;
}

/** Similarity search over stored embeddings, raw vectors, and per-sample quality. */
export class SimilarityService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly vectors: VectorStore,
    private readonly embedder: TierEmbedder,
  ) {}

  async similarSamples(
    viewer: Viewer | null,
    query: SimilarQuery,
    signal?: AbortSignal,
  ): Promise<SimilarSample[]> {
    if (Boolean(query.sampleId) === Boolean(query.image)) {
      throw badInput('Give exactly one of "sampleId" or "image"', { field: "sampleId" });
    }
    // Before the image goes to the tier: an out-of-range k must cost nothing.
    checkRange("k", query.k, 1, limits.similarK);
    let sourceDatasetId = query.datasetId ?? null;
    if (sourceDatasetId) await this.visibleDataset(viewer, sourceDatasetId);
    if (query.sampleId) {
      const row = isUuid(query.sampleId)
        ? await this.prisma.sample.findUnique({ where: { id: query.sampleId }, include: { dataset: true } })
        : null;
      const sample = assertCanSee(viewer, row, `Sample ${query.sampleId}`, (s) => s.dataset);
      sourceDatasetId ??= sample.datasetId;
    }
    const space = await this.spaceFor(viewer, query.space ?? null, sourceDatasetId, {
      sampleId: query.sampleId ?? null,
    });
    const datasetIds = query.datasetId ? [query.datasetId] : await this.visibleDatasetIds(viewer);
    const options = { k: query.k, ...(datasetIds && { datasetIds }) };
    const neighbours = query.sampleId
      ? await this.vectors.searchBySample(space, query.sampleId, options)
      : await this.vectors.search(
          space,
          (await this.embedder.embed(space, [query.image!], viewer, signal))[0]!,
          options,
        );
    const samples = await this.latestSamples(neighbours.map((n) => n.sampleId));
    return neighbours.flatMap((n) => {
      const sample = samples.get(n.sampleId);
      return sample ? [{ sample, distance: n.distance }] : [];
    });
  }

  /** A version's vectors in one space (the version's latest succeeded space by default), by sample id. */
  async embeddings(
    viewer: Viewer | null,
    versionId: string,
    spaceKey: string | null,
    offset: number,
    limit: number,
  ): Promise<{ nodes: SampleEmbedding[]; totalCount: number }> {
    const row = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    const version = assertCanSee(viewer, row, `Dataset version ${versionId}`, (v) => v.dataset);
    const space = await this.spaceFor(viewer, spaceKey, version.datasetId, { versionId });
    const rows = await this.prisma.$queryRaw<
      Array<{ sampleId: string; vector: string; quality: number | null; total: bigint }>
    >`
      SELECT e."sampleId"::text AS "sampleId", e.embedding::text AS vector, e.quality, count(*) OVER () AS total
      FROM "Embedding" e JOIN "VersionSample" vs ON vs."sampleId" = e."sampleId"
      WHERE vs."versionId" = ${versionId}::uuid AND e."spaceId" = ${space.id}::uuid
      ORDER BY e."sampleId" OFFSET ${offset} LIMIT ${limit}`;
    return {
      nodes: rows.map((r) => ({
        sampleId: r.sampleId,
        vector: parseVectorText(r.vector),
        quality: r.quality,
      })),
      totalCount: rows[0] ? Number(rows[0].total) : 0,
    };
  }

  /** The sample's quality in a space (by default the latest succeeded space of its dataset holding it). */
  async sampleQuality(
    viewer: Viewer | null,
    sample: Sample,
    spaceKey: string | null,
  ): Promise<number | null> {
    const space = await this.spaceFor(viewer, spaceKey, sample.datasetId, { sampleId: sample.id }).catch(
      () => null,
    );
    if (!space) return null;
    const row = await this.prisma.embedding.findUnique({
      where: { spaceId_sampleId: { spaceId: space.id, sampleId: sample.id } },
      select: { quality: true },
    });
    return row?.quality ?? null;
  }

  /**
   * A named space, or the one of the dataset's most recent successful run (any visible dataset's
   * without one). `near` narrows the default to what was actually embedded: the runs of that
   * version (when it has one), or spaces holding that sample's vector. So a version embedded
   * under the built-in embedder v1 keeps being read from "FEATURE/256" after newer versions of
   * its dataset were embedded into v2's space.
   */
  private async spaceFor(
    viewer: Viewer | null,
    key: string | null,
    datasetId: string | null,
    near: { versionId?: string; sampleId?: string | null } = {},
  ): Promise<SpaceRow> {
    if (key) {
      const row = await this.prisma.embeddingSpace.findUnique({ where: { key } });
      if (!row) throw notFound(`Embedding space "${key}"`);
      return toSpaceRow(row);
    }
    const latest = (where: Prisma.EmbeddingRunWhereInput) =>
      this.prisma.embeddingRun.findFirst({
        where: {
          job: { status: "SUCCEEDED" },
          version: datasetId ? { datasetId } : { dataset: visibleDatasets(viewer) },
          ...where,
        },
        orderBy: { updatedAt: "desc" },
        include: { space: true },
      });
    const run =
      (near.versionId && (await latest({ versionId: near.versionId }))) ||
      (near.sampleId && (await latest({ space: { embeddings: { some: { sampleId: near.sampleId } } } }))) ||
      (await latest({}));
    if (!run) {
      throw notFound(
        `A finished embedding run ${datasetId ? `of dataset ${datasetId}` : "of a dataset you can see"}`,
      );
    }
    return toSpaceRow(run.space);
  }

  private async visibleDataset(viewer: Viewer | null, id: string) {
    const dataset = isUuid(id) ? await this.prisma.dataset.findUnique({ where: { id } }) : null;
    return assertCanSee(viewer, dataset, `Dataset ${id}`);
  }

  /** Undefined for an admin (every dataset), else the ids the viewer may see. */
  private async visibleDatasetIds(viewer: Viewer | null): Promise<string[] | undefined> {
    if (isAdmin(viewer)) return undefined;
    const rows = await this.prisma.dataset.findMany({ where: visibleDatasets(viewer), select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Each sample as its dataset's newest version holding it labels it. */
  private async latestSamples(ids: string[]): Promise<Map<string, Sample>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<
      Array<Omit<Sample, "sampleClass"> & { classId: string; className: string }>
    >`
      SELECT DISTINCT ON (s.id) s.id::text AS id, s."datasetId"::text AS "datasetId",
             vs."versionId"::text AS "versionId", s.sha256, s.format, s.width, s.height,
             s."originalPath", vs.split, vs.metadata, c.id::text AS "classId", c.name AS "className"
      FROM "Sample" s
      JOIN "VersionSample" vs ON vs."sampleId" = s.id
      JOIN "DatasetVersion" v ON v.id = vs."versionId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
      WHERE s.id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
      ORDER BY s.id, v.number DESC`;
    return new Map(
      rows.map(({ classId, className, ...sample }) => [
        sample.id,
        { ...sample, metadata: sample.metadata ?? null, sampleClass: { id: classId, name: className } },
      ]),
    );
  }
}

function visibleDatasets(viewer: Viewer | null): Prisma.DatasetWhereInput {
  if (isAdmin(viewer)) return {};
  return viewer ? { OR: [{ isPublic: true }, { ownerId: viewer.id }] } : { isPublic: true };
}
