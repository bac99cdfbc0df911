import { Field, Int, ObjectType, type ClassType } from "type-graphql";
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

/** One node of a page and the cursor to resume after it. */
export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

/** One page of a list: what every `…Connection` type of the schema holds. */
export interface Connection<TNode> {
  edges: Edge<TNode>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A connection's GraphQL class; `Edge` is its edge type's, for field resolvers that return edges. */
export interface ConnectionClass<TNode> extends ClassType<Connection<TNode>> {
  readonly Edge: ClassType<Edge<TNode>>;
}

/**
 * The Relay connection type `<name>Connection { edges: [<name>Edge!]!, pageInfo: PageInfo!,
 * totalCount: Int! }` and its edge type `<name>Edge { cursor: String!, node: <Node>! }` (named
 * `edgeName` when given). Each call registers both types with type-graphql, so call it once per
 * list, at module level:
 *
 *     export const ModelConnection = connectionOf(() => Model, "Model");
 *     export type ModelConnection = Connection<Model>;
 */
export function connectionOf<TNode extends object>(
  nodeType: () => ClassType<TNode>,
  name: string,
  { edgeName = `${name}Edge` }: { edgeName?: string } = {},
): ConnectionClass<TNode> {
  @ObjectType(edgeName)
  class EdgeType implements Edge<TNode> {
    @Field(() => String)
    cursor!: string;

    @Field(nodeType)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Connection<TNode> {
    static readonly Edge = EdgeType;

    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }

  return ConnectionType;
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
  const offset = match ? Number(match[1]) : Number.NaN;
  // No list holds 2^31 rows: a larger offset is not a cursor this API issued either.
  if (!(offset < 2 ** 31))
    throw badInput(`"after" is not a cursor this API issued: ${after}`, { field: "after" });
  return { offset: offset + 1, limit };
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
