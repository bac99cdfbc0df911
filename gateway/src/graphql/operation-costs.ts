import { BREAK, Kind, visit, type ASTNode, type DocumentNode, type GraphQLSchema } from "graphql";
import { operationCost, PAGE_SIZE_ARGUMENTS } from "./limits";

type CostOf = typeof operationCost;

const pageSizeArguments = new Set<string>(PAGE_SIZE_ARGUMENTS);

/**
 * Operation costs remembered per parsed document and operation name, so a client repeating a
 * query does not pay getComplexity's walk of it on every request. Apollo keeps one parsed document
 * per query text (its document store, an LRU of its own), so a document object stands for its
 * text; entries live exactly as long as that document does (a WeakMap), which bounds the cache by
 * Apollo's store. Over WebSocket every message is parsed anew: no hits, nothing kept.
 *
 * Only costs that cannot change with the variables are kept — no variable in a page-size argument
 * (`first`, `k`) and none in any directive (`@skip`/`@include` prune fields) — and only costs
 * within the limit, so a refusal is always computed afresh and a kept cost gives the answer a
 * fresh walk would.
 */
export class OperationCosts {
  private readonly known = new WeakMap<DocumentNode, Map<string, number>>();
  private readonly variableFree = new WeakMap<DocumentNode, boolean>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limit: number,
    private readonly costOf: CostOf = operationCost,
  ) {}

  /**
   * As operationCost: the estimated cost, or null when the variables do not fit their types — a
   * kept cost is returned whatever the variables, as both mean "not refused for its cost" and
   * execution refuses variables that do not fit.
   */
  cost(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
  ): number | null {
    const key = operationName ?? "";
    const kept = this.known.get(document)?.get(key);
    if (kept !== undefined) return kept;
    const cost = this.costOf(this.schema, document, operationName, variables);
    if (cost !== null && cost <= this.limit && this.costIgnoresVariables(document)) {
      let byName = this.known.get(document);
      if (!byName) this.known.set(document, (byName = new Map()));
      byName.set(key, cost);
    }
    return cost;
  }

  private costIgnoresVariables(document: DocumentNode): boolean {
    let free = this.variableFree.get(document);
    if (free === undefined) {
      free = !costReadsVariables(document);
      this.variableFree.set(document, free);
    }
    return free;
  }
}

/** Whether any variable reaches a page-size argument or a directive, anywhere in the document. */
export function costReadsVariables(document: DocumentNode): boolean {
  let reads = false;
  visit(document, {
    Directive(node) {
      if (node.arguments?.some((argument) => holdsVariable(argument.value))) {
        reads = true;
        return BREAK;
      }
      return undefined;
    },
    Argument(node) {
      if (pageSizeArguments.has(node.name.value) && holdsVariable(node.value)) {
        reads = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return reads;
}

function holdsVariable(node: ASTNode): boolean {
  switch (node.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return node.values.some(holdsVariable);
    case Kind.OBJECT:
      return node.fields.some((field) => holdsVariable(field.value));
    default:
      return false;
  }
}
