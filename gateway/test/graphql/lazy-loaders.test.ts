import DataLoader from "dataloader";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client";
import { lazyLoaderSet } from "../../src/graphql/lazy-loaders";

/** A stand-in for Prisma: each loader's batch function records the keys it was asked for. */
function fakePrisma() {
  const batches: Array<[string, string[]]> = [];
  const prisma = {
    batch(table: string, keys: readonly string[]) {
      batches.push([table, [...keys]]);
      return keys.map((key) => `${table}:${key}`);
    },
  } as unknown as PrismaClient & { batch(table: string, keys: readonly string[]): string[] };
  return { prisma, batches };
}

type Fake = ReturnType<typeof fakePrisma>["prisma"];
let groupsBuilt = 0;
const users = (prisma: PrismaClient) => {
  groupsBuilt += 1;
  return {
    userById: new DataLoader<string, string>(async (ids) => (prisma as Fake).batch("user", ids)),
  };
};
const models = (prisma: PrismaClient) => {
  groupsBuilt += 1;
  return {
    modelById: new DataLoader<string, string>(async (ids) => (prisma as Fake).batch("model", ids)),
    versionById: new DataLoader<string, string>(async (ids) => (prisma as Fake).batch("version", ids)),
  };
};
const overridingModels = () => ({
  modelById: new DataLoader<string, string>(async (ids) => ids.map((id) => `override:${id}`)),
});

describe("lazyLoaderSet", () => {
  it("gives each request loaders of its own that batch and cache as eager ones did", async () => {
    const create = lazyLoaderSet([users, models]);
    const { prisma, batches } = fakePrisma();
    const first = create(prisma);
    const second = create(prisma);
    expect(first.userById).toBe(first.userById);
    expect(first.userById).not.toBe(second.userById);
    expect(await Promise.all([first.userById.load("a"), first.userById.load("b")])).toEqual([
      "user:a",
      "user:b",
    ]);
    await first.userById.load("a");
    await second.userById.load("a");
    expect(batches).toEqual([
      ["user", ["a", "b"]],
      ["user", ["a"]],
    ]);
  });

  it("builds a group only when a request first reads one of its loaders, and then the whole group", async () => {
    const create = lazyLoaderSet([users, models]);
    const { prisma } = fakePrisma();
    create(prisma);
    groupsBuilt = 0;
    const loaders = create(prisma);
    expect(groupsBuilt).toBe(0);
    await loaders.versionById.load("v");
    expect(groupsBuilt).toBe(1);
    await loaders.modelById.load("m");
    expect(groupsBuilt).toBe(1);
    await loaders.userById.load("u");
    expect(groupsBuilt).toBe(2);
  });

  it("gives a name two groups both define to the later group, as a spread would", async () => {
    const create = lazyLoaderSet([models, overridingModels]);
    const loaders = create(fakePrisma().prisma);
    expect(await loaders.modelById.load("m")).toBe("override:m");
    expect(await loaders.versionById.load("v")).toBe("version:v");
  });
});
