import { describe, expect, it } from "vitest";
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo } from "graphql";
import { listSelection } from "../../src/models/model-list-selection";

/** The resolve info of `models.edges` in `query`: its field nodes and the document's fragments. */
function edgesInfo(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let models: FieldNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION)
      models = definition.selectionSet.selections[0] as FieldNode;
  }
  const edges = models!.selectionSet!.selections.filter(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "edges",
  );
  return { fieldNodes: edges, fragments } as unknown as GraphQLResolveInfo;
}

describe("listSelection: how deep a models page is read", () => {
  it("reads model rows alone when no node asks for versions", () => {
    expect(listSelection(edgesInfo("{ models { edges { cursor node { id aliases { alias } } } } }"))).toEqual(
      {
        versions: false,
        files: false,
      },
    );
  });

  it("reads versions without files when no version asks for them", () => {
    expect(
      listSelection(edgesInfo("{ models { edges { node { versions { version aliases } } } } }")),
    ).toEqual({
      versions: true,
      files: false,
    });
  });

  it("follows fragments and aliases to files and primaryFile", () => {
    const spread = `
      { models { edges { node { ...M } } } }
      fragment M on Model { newest: latestVersion { ... on ModelVersion { ...V } } }
      fragment V on ModelVersion { primaryFile { path } }`;
    expect(listSelection(edgesInfo(spread))).toEqual({ versions: true, files: true });
    const inline = `{ models { edges { ... on ModelEdge { node { version(name: "v1") { files { path } } } } } } }`;
    expect(listSelection(edgesInfo(inline))).toEqual({ versions: true, files: true });
  });
});
