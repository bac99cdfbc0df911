import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { TreeDepth } from "./model-list-tree";

/** Model fields answered from the model's versions, and version fields answered from its files. */
const VERSION_FIELDS = new Set(["versions", "latestVersion", "version"]);
const FILE_FIELDS = new Set(["files", "primaryFile"]);

/**
 * How deep the `edges` of a models page are read: whether any node asks for its versions, and
 * any of those for their files. Fragments are followed; `@skip`/`@include` are not evaluated, so
 * a skipped field may load rows nobody reads (never the reverse: a field read but not loaded
 * would only fall back to its DataLoader).
 */
export function listSelection(info: GraphQLResolveInfo): TreeDepth {
  const nodes = fieldsNamed(info, info.fieldNodes, new Set(["node"]));
  const versions = nodes.flatMap((node) => fieldsNamed(info, [node], VERSION_FIELDS));
  const files = versions.some((version) => fieldsNamed(info, [version], FILE_FIELDS).length > 0);
  return { versions: versions.length > 0, files };
}

/** The fields named `names` directly below `parents` (through fragments). */
function fieldsNamed(
  info: GraphQLResolveInfo,
  parents: readonly FieldNode[],
  names: ReadonlySet<string>,
): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (names.has(selection.name.value)) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const parent of parents) visit(parent.selectionSet, new Set());
  return found;
}
