import { Prisma } from "../generated/prisma/client";
import type { DatasetClass, Sample } from "./datasets.types";
import type { SamplePosition } from "./sample-cursor";

/** A sample's columns as the loaders' statements select them (ids as text), in version `versionId`. */
export interface SampleColumns {
  id: string;
  datasetId: string;
  versionId: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  originalPath: string;
  split: string | null;
  metadata: unknown;
}

/** The same with the class the version gives the sample. */
export interface LabelledSampleColumns extends SampleColumns {
  classId: string;
  className: string;
}

/**
 * SampleColumns as a select list: of sample `s` and its membership row `m` (a VersionSample or
 * an UnlabeledSample, which both carry the version, split and metadata).
 */
export const SAMPLE_COLUMNS = Prisma.sql`m."versionId"::text AS "versionId", s.id::text AS id,
  s."datasetId"::text AS "datasetId", s.sha256, s.format, s.width, s.height, s."originalPath",
  m.split, m.metadata`;

/** LabelledSampleColumns as a select list: SAMPLE_COLUMNS and class `c`. */
export const LABELLED_SAMPLE_COLUMNS = Prisma.sql`${SAMPLE_COLUMNS}, c.id::text AS "classId", c.name AS "className"`;

export function toSample(row: SampleColumns, sampleClass: DatasetClass | null): Sample {
  return {
    id: row.id,
    datasetId: row.datasetId,
    versionId: row.versionId,
    sampleClass,
    split: row.split,
    width: row.width,
    height: row.height,
    format: row.format,
    sha256: row.sha256,
    originalPath: row.originalPath,
    metadata: row.metadata ?? null,
  };
}

export function toLabelledSample(row: LabelledSampleColumns): Sample {
  return toSample(row, { id: row.classId, name: row.className });
}

/** One page of a version's samples (labelled or pool). */
export interface SamplePage {
  samples: Sample[];
  hasNextPage: boolean;
  /** 0 unless the page's key asked for the count. */
  totalCount: number;
}

/**
 * A row of a lateral page statement: the key it answers (0-based), the key's count when asked,
 * and a sample's columns, or NULLs in one row for a key whose page is empty.
 */
export type PageRow<Columns extends SampleColumns> = Columns & { keyIndex: number; total: number | null };

/** One page per key: at most `limit` samples, and whether a row lay beyond them. */
export function pagesFromRows<Columns extends SampleColumns>(
  keyCount: number,
  limit: number,
  rows: ReadonlyArray<PageRow<Columns>>,
  toNode: (row: Columns) => Sample,
): SamplePage[] {
  const pages = Array.from({ length: keyCount }, () => ({
    samples: [] as Sample[],
    hasNextPage: false,
    totalCount: 0,
  }));
  for (const row of rows) {
    const page = pages[row.keyIndex]!;
    page.totalCount = row.total ?? 0;
    if ((row.id as string | null) === null) continue;
    if (page.samples.length < limit) page.samples.push(toNode(row));
    else page.hasNextPage = true;
  }
  return pages;
}

/** Where one version's page starts: after `after` in display order. */
export interface PageWalk {
  versionId: string;
  after: SamplePosition;
}

/** The tables a page walks: a version's labelled samples (with their class) or its unlabeled pool. */
export type Membership = "VersionSample" | "UnlabeledSample";

const MEMBERSHIPS: Record<Membership, { table: Prisma.Sql; join: Prisma.Sql; columns: Prisma.Sql }> = {
  VersionSample: {
    table: Prisma.sql`"VersionSample"`,
    join: Prisma.sql`JOIN "DatasetClass" c ON c.id = m."classId"`,
    columns: LABELLED_SAMPLE_COLUMNS,
  },
  UnlabeledSample: { table: Prisma.sql`"UnlabeledSample"`, join: Prisma.empty, columns: SAMPLE_COLUMNS },
};

/**
 * One statement answering pages of several versions, each from its own position: a lateral
 * subquery per walk follows the (datasetId, originalPath, id) index from its cursor and stops
 * after `limit + 1` members (the one past the page says whether there is a next), so a page
 * costs the same at any depth. `filters` are further conditions on `m` (the membership row) and,
 * for VersionSample, `c` (the class). Rows are PageRow<Columns> (total NULL), ready for
 * pagesFromRows; a walk with no rows gives one row of NULLs.
 */
export function lateralPagesSql(
  membership: Membership,
  walks: readonly PageWalk[],
  limit: number,
  filters: readonly Prisma.Sql[] = [],
): Prisma.Sql {
  const { table, join, columns } = MEMBERSHIPS[membership];
  const where = filters.length ? Prisma.sql`AND ${Prisma.join(filters, " AND ")}` : Prisma.empty;
  return Prisma.sql`
    SELECT k.ord::int - 1 AS "keyIndex", NULL::int AS total, p.*
    FROM unnest(${walks.map((walk) => walk.versionId)}::uuid[], ${walks.map((walk) => walk.after.originalPath)}::text[],
                ${walks.map((walk) => walk.after.id)}::uuid[]) WITH ORDINALITY AS k("versionId", "afterPath", "afterId", ord)
    JOIN "DatasetVersion" v ON v.id = k."versionId"
    LEFT JOIN LATERAL (
      SELECT ${columns}
      FROM "Sample" s
      JOIN ${table} m ON m."versionId" = k."versionId" AND m."sampleId" = s.id
      ${join}
      WHERE s."datasetId" = v."datasetId" AND (s."originalPath", s.id) > (k."afterPath", k."afterId")
        ${where}
      ORDER BY s."originalPath", s.id
      LIMIT ${limit + 1}
    ) p ON TRUE
    ORDER BY k.ord, p."originalPath", p.id::uuid`;
}
