import { Field, ObjectType } from "type-graphql";
import { badInput } from "../errors";
import { checkRange, limits } from "../limits";

@ObjectType({ description: "Relay pagination state" })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Options of every list's `first` argument, so its description states the limit. */
export const firstArg = (defaultValue: number) => ({
  nullable: true,
  defaultValue,
  description: `Page size, 0 to ${limits.pageSize}`,
});

/**
 * Cursors are opaque to clients; inside they are offsets into the ordered result. Offsets keep
 * every ordering (including search relevance) pageable with one code path.
 */
function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

export function pageWindow(first: number | null | undefined, after: string | null | undefined) {
  const limit = checkRange("first", first ?? 20, 0, limits.pageSize);
  if (!after) return { offset: 0, limit };
  const match = /^offset:(\d+)$/.exec(Buffer.from(after, "base64url").toString());
  if (!match) throw badInput(`"after" is not a cursor this API issued: ${after}`, { field: "after" });
  return { offset: Number(match[1]) + 1, limit };
}

/** The edges of one page: each node's cursor is its offset in the whole ordered result. */
export function pageEdges<T>(nodes: readonly T[], offset: number) {
  return nodes.map((node, index) => ({ node, cursor: encodeCursor(offset + index) }));
}

/**
 * The PageInfo of `count` nodes from `offset`, with the same cursors as pageEdges. `hasNextPage`
 * comes from the caller, who may know it without counting the whole result.
 */
export function pageInfoOf(offset: number, count: number, hasNextPage: boolean): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: offset > 0,
    startCursor: count > 0 ? encodeCursor(offset) : null,
    endCursor: count > 0 ? encodeCursor(offset + count - 1) : null,
  };
}

export function connection<T>(nodes: T[], offset: number, totalCount: number) {
  return {
    edges: pageEdges(nodes, offset),
    totalCount,
    pageInfo: pageInfoOf(offset, nodes.length, offset + nodes.length < totalCount),
  };
}
