import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { operationCost } from "../../src/graphql/limits";
import { OperationCosts } from "../../src/graphql/operation-costs";

const schema = buildSchema(`
  type Query { items(first: Int, k: Int, search: String): [Item!]! }
  type Item { id: ID! children(first: Int): [Item!]! }
`);
const LIMIT = 100;

/** The cache over the real estimator, counting the walks it makes. */
function costs() {
  const walks = { count: 0 };
  const cache = new OperationCosts(schema, LIMIT, (...args) => {
    walks.count += 1;
    return operationCost(...args);
  });
  return { cache, walks };
}

describe("OperationCosts", () => {
  it("walks a document whose cost ignores its variables once, and gives the fresh walk's cost", () => {
    const { cache, walks } = costs();
    const document = parse("query ($q: String) { items(first: 10, search: $q) { id } }");
    expect(cache.cost(document, undefined, { q: "a" })).toBe(11);
    expect(cache.cost(document, undefined, { q: "b" })).toBe(11);
    expect(operationCost(schema, document, undefined, { q: "b" })).toBe(11);
    expect(walks.count).toBe(1);
  });

  it("never keeps a cost over the limit: an over-limit query is refused on every request", () => {
    const { cache, walks } = costs();
    const document = parse("{ items(first: 10) { children(first: 20) { id } } }");
    expect(cache.cost(document, undefined, {})).toBe(211);
    expect(cache.cost(document, undefined, {})).toBe(211);
    expect(walks.count).toBe(2);
  });

  it("recomputes a cost whose page size comes from a variable, so a larger page is refused", () => {
    const { cache, walks } = costs();
    const document = parse("query ($n: Int) { items(first: $n) { id } }");
    expect(cache.cost(document, undefined, { n: 5 })).toBe(6);
    expect(cache.cost(document, undefined, { n: 500 })).toBe(501);
    expect(cache.cost(document, undefined, { n: 5 })).toBe(6);
    expect(walks.count).toBe(3);
  });

  it("recomputes when the variable reaches the page size through a fragment or a list of `k`", () => {
    const { cache } = costs();
    const fragment = parse(`
      query ($n: Int) { items(first: 2) { ...More } }
      fragment More on Item { children(first: $n) { id } }
    `);
    expect(cache.cost(fragment, undefined, { n: 1 })).toBe(5);
    expect(cache.cost(fragment, undefined, { n: 100 })).toBe(203);
    const search = parse("query ($k: Int) { items(k: $k) { id } }");
    expect(cache.cost(search, undefined, { k: 3 })).toBe(4);
    expect(cache.cost(search, undefined, { k: 300 })).toBe(301);
  });

  it("recomputes when @include or @skip depends on a variable", () => {
    const { cache } = costs();
    const document = parse(`
      query ($big: Boolean!) {
        items(first: 5) { id children(first: 50) @include(if: $big) { id } }
      }
    `);
    expect(cache.cost(document, undefined, { big: false })).toBe(6);
    expect(cache.cost(document, undefined, { big: true })).toBe(261);
  });

  it("keeps the operations of one document apart by name", () => {
    const { cache, walks } = costs();
    const document = parse("query Small { items(first: 1) { id } } query Large { items(first: 90) { id } }");
    expect(cache.cost(document, "Small", {})).toBe(2);
    expect(cache.cost(document, "Large", {})).toBe(91);
    expect(cache.cost(document, "Small", {})).toBe(2);
    expect(cache.cost(document, "Large", {})).toBe(91);
    expect(walks.count).toBe(2);
  });

  it("keeps nothing when the variables do not fit, and answers as the walk does", () => {
    const { cache, walks } = costs();
    const document = parse("query ($q: String) { items(first: 3, search: $q) { id } }");
    expect(cache.cost(document, undefined, { q: { not: "a string" } })).toBeNull();
    expect(cache.cost(document, undefined, { q: "a" })).toBe(4);
    expect(cache.cost(document, undefined, { q: "b" })).toBe(4);
    expect(walks.count).toBe(2);
  });
});
