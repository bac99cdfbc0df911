import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { seedDataset } from "./seed-dataset";

let gateway: TestGateway;
let bob: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  bob = await gateway.createMember("bob");
});
afterAll(() => gateway?.stop());

const DELETE = `mutation ($id: ID!) { deleteDataset(id: $id) }`;

async function datasetRows(datasetId: string) {
  const { prisma } = gateway;
  const [datasets, versions, classes, samples, memberships] = await Promise.all([
    prisma.dataset.count({ where: { id: datasetId } }),
    prisma.datasetVersion.count({ where: { datasetId } }),
    prisma.datasetClass.count({ where: { datasetId } }),
    prisma.sample.count({ where: { datasetId } }),
    prisma.versionSample.count({ where: { version: { datasetId } } }),
  ]);
  return { datasets, versions, classes, samples, memberships };
}

describe("deleteDataset", () => {
  it("only lets the owner or an admin delete, without telling others a private dataset exists", async () => {
    const shown = await seedDataset(gateway, { ownerHandle: "admin", name: "shown", isPublic: true });
    const hidden = await seedDataset(gateway, { ownerHandle: "admin", name: "hidden" });
    expect((await gateway.gql(DELETE, { id: shown.id }, bob)).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await gateway.gql(DELETE, { id: hidden.id }, bob)).errors?.[0]?.extensions?.code).toBe(
      "NOT_FOUND",
    );
    expect((await gateway.gql(DELETE, { id: shown.id }, null)).errors?.[0]?.extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    expect(await datasetRows(shown.id)).toMatchObject({ datasets: 1, samples: 15 });
    for (const { id } of [shown, hidden])
      expect(await gateway.gql(DELETE, { id })).toEqual({ data: { deleteDataset: true } });
  });

  it("removes every row and the blobs only it used, keeping those another dataset shares", async () => {
    const blobsAtStart = await gateway.blobFiles();
    // Same generator seed: the two datasets hold identical images, so they share every blob.
    const first = await seedDataset(gateway, { ownerHandle: "bob", name: "first", withEdit: true });
    const second = await seedDataset(gateway, { ownerHandle: "bob", name: "second" });
    const sampleId = Object.values(first.sampleIds)[0]!;
    const thumbnail = await fetch(`${gateway.url}/files/samples/${sampleId}/thumbnail`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(thumbnail.status).toBe(200);
    const withBoth = await gateway.blobCount();
    expect(withBoth).toBe(blobsAtStart.length + 15 + 1);

    expect(await gateway.gql(DELETE, { id: first.id }, bob)).toEqual({ data: { deleteDataset: true } });
    expect(await datasetRows(first.id)).toEqual({
      datasets: 0,
      versions: 0,
      classes: 0,
      samples: 0,
      memberships: 0,
    });
    // The thumbnail was first's alone; the originals are still second's.
    expect(await gateway.blobCount()).toBe(blobsAtStart.length + 15);
    expect(await gateway.prisma.blob.count()).toBe(await gateway.blobCount());

    expect(await gateway.gql(DELETE, { id: second.id }, bob)).toEqual({ data: { deleteDataset: true } });
    expect(await datasetRows(second.id)).toMatchObject({ datasets: 0, samples: 0 });
    expect(await gateway.blobFiles()).toEqual(blobsAtStart);
    expect(await gateway.prisma.blob.count()).toBe(blobsAtStart.length);
    expect(
      (await gateway.gql(`query ($id: ID!) { dataset(id: $id) { id } }`, { id: first.id })).data,
    ).toEqual({
      dataset: null,
    });
  });
});
