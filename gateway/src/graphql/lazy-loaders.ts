import type { PrismaClient } from "../generated/prisma/client";

/** One domain's DataLoaders, built together (a group's loaders may prime each other). */
export type LoaderGroup = (prisma: PrismaClient) => object;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (
  intersection: infer I,
) => void
  ? I
  : never;

/** Every group's loaders under their own names, as one object. */
export type LoaderSet<Groups extends readonly LoaderGroup[]> = UnionToIntersection<
  ReturnType<Groups[number]>
>;

const PRISMA = Symbol("prisma");

/**
 * A factory of per-request loader sets in which each group is built on first use. Building all
 * of them (34 DataLoaders) cost 0.1–0.4 ms per request, paid by every request, also by those that
 * read no loader at all (classifyImage, `me`). A request still gets loaders of its own, never
 * shared with another request; a name given by two groups belongs to the later one, as with a
 * spread of the groups.
 */
export function lazyLoaderSet<const Groups extends readonly LoaderGroup[]>(
  groups: Groups,
): (prisma: PrismaClient) => LoaderSet<Groups> {
  let prototype: object | null = null;
  return (prisma) => {
    prototype ??= prototypeOf(groups, prisma);
    const loaders = Object.create(prototype) as Record<symbol, PrismaClient>;
    loaders[PRISMA] = prisma;
    return loaders as LoaderSet<Groups>;
  };
}

/**
 * Getters for every loader name; the first read of any name in a group builds the whole group
 * and puts its loaders on the request's own object, where later reads find them directly. The
 * names are learnt by building each group once, which only constructs DataLoaders.
 */
function prototypeOf(groups: readonly LoaderGroup[], prisma: PrismaClient): object {
  const groupOfName = new Map<string, LoaderGroup>();
  for (const group of groups) for (const name of Object.keys(group(prisma))) groupOfName.set(name, group);
  const prototype = {};
  for (const [name, group] of groupOfName) {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      get(this: Record<symbol, PrismaClient>) {
        const built = group(this[PRISMA]!) as Record<string, unknown>;
        for (const [builtName, loader] of Object.entries(built)) {
          // A later group owns a name both give.
          if (groupOfName.get(builtName) !== group) continue;
          Object.defineProperty(this, builtName, { value: loader, enumerable: true });
        }
        return built[name];
      },
    });
  }
  return prototype;
}
