import { expect } from "vitest";
import type { TestGateway } from "../../support/gateway";

export const VERSION_FIELDS = "id number source message imageCount classCount skipped { path reason }";

export interface EditedVersion {
  id: string;
  number: number;
  source: string;
  message: string;
  imageCount: number;
  classCount: number;
  skipped: Array<{ path: string; reason: string }>;
}

/** Runs an edit mutation and expects success; `field` is the mutation's name. */
export async function edit(
  gateway: TestGateway,
  field: string,
  mutation: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<EditedVersion> {
  const body = await gateway.gql<Record<string, EditedVersion>>(mutation, variables, token);
  expect(body.errors).toBeUndefined();
  return body.data![field]!;
}

/** A version's memberships as sampleId → class name (and split), read straight from the database. */
export async function membersOf(gateway: TestGateway, versionId: string): Promise<Record<string, string>> {
  const rows = await gateway.prisma.versionSample.findMany({
    where: { versionId },
    include: { class: true },
  });
  return Object.fromEntries(rows.map((row) => [row.sampleId, row.class.name]));
}

export async function diff(gateway: TestGateway, versionId: string, against: string) {
  const body = await gateway.gql<{
    datasetVersion: { diff: { added: number; removed: number; relabelled: number; unchanged: number } };
  }>(
    `query ($id: ID!, $against: ID!) { datasetVersion(id: $id) { diff(against: $against) { added removed relabelled unchanged } } }`,
    {
      id: versionId,
      against,
    },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion.diff;
}
