import {
  getOperationAST,
  getVariableValues,
  Kind,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from "graphql";
import { badInput, type AppError } from "../errors";

interface StringInputs {
  document: DocumentNode;
  operationName?: string | null;
  /** As the client sent them; coerced here the way execution will coerce them. */
  variables?: Record<string, unknown> | null;
}

const NUL = "\0";
/**
 * Parsed documents already walked and found free of NUL literals. Apollo reuses one parsed
 * document per query text, so a repeated query is walked once; a WeakSet keeps nothing alive.
 */
const literalsWithoutNul = new WeakSet<DocumentNode>();
const cannotHold = "contains a NUL byte (U+0000), which text fields cannot hold";

/**
 * Text a client sends that the database cannot store: a NUL byte (U+0000) in any string argument
 * or variable, the keys and values of JSON scalars included. Checked once for every operation
 * before anything of it runs, so no resolver has to check each field, nothing is half-written, and
 * the client learns where: `field` is the argument's path (`filter.tags.1`) or the variable's
 * (`$input.description`). Returns every place found; empty when there is none.
 */
export function nulByteErrors(schema: GraphQLSchema, operation: StringInputs): AppError[] {
  const errors: AppError[] = [];
  const refuse = (field: string, message: string) => errors.push(badInput(message, { field }));

  // Field arguments only: the directives a document may use (@skip, @include) take no text, and
  // a variable's default is checked below among the coerced values it becomes.
  if (!literalsWithoutNul.has(operation.document)) {
    visit(operation.document, {
      Field: (node) => {
        for (const argument of node.arguments ?? []) {
          for (const path of nulLiterals(argument.value, [argument.name.value])) {
            refuse(path, `Argument "${path}" of "${node.name.value}" ${cannotHold}`);
          }
        }
      },
    });
    if (errors.length === 0) literalsWithoutNul.add(operation.document);
  }

  const definition = getOperationAST(operation.document, operation.operationName);
  // Without variable definitions every variable sent is ignored: nothing to coerce or check.
  if (!definition?.variableDefinitions?.length) return errors;
  const coerced = getVariableValues(schema, definition.variableDefinitions, operation.variables ?? {});
  // Variables that do not fit their types are refused by execution, with its own message.
  if ("errors" in coerced) return errors;
  for (const [name, value] of Object.entries(coerced.coerced)) {
    for (const { path, inKey } of nulValues(value, `$${name}`)) {
      refuse(
        path,
        inKey ? `Variable "${path}" has a key that ${cannotHold}` : `Variable "${path}" ${cannotHold}`,
      );
    }
  }
  return errors;
}

/** Paths of the string literals holding a NUL under `value`; variables are checked by value instead. */
function nulLiterals(value: ValueNode, path: string[]): string[] {
  switch (value.kind) {
    case Kind.STRING:
      return value.value.includes(NUL) ? [path.join(".")] : [];
    case Kind.LIST:
      return value.values.flatMap((item, index) => nulLiterals(item, [...path, String(index)]));
    case Kind.OBJECT:
      // Field names are GraphQL names, which cannot hold a NUL.
      return value.fields.flatMap((field) => nulLiterals(field.value, [...path, field.name.value]));
    default:
      return [];
  }
}

/**
 * Walks coerced variable values: strings, lists, input objects and JSON scalars' plain objects.
 * Iterative, as JSON values may nest deeper than the call stack; other objects (an upload's
 * promise, a date) hold no client text.
 */
function nulValues(root: unknown, rootPath: string): Array<{ path: string; inKey: boolean }> {
  const found: Array<{ path: string; inKey: boolean }> = [];
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === "string") {
      if (value.includes(NUL)) found.push({ path, inKey: false });
    } else if (Array.isArray(value)) {
      // Reversed onto the stack, so places are reported in the order the client wrote them.
      for (let index = value.length - 1; index >= 0; index -= 1)
        pending.push([value[index], `${path}.${index}`]);
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value).reverse()) {
        if (key.includes(NUL)) found.push({ path, inKey: true });
        else pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
