import type { onnx } from "onnx-proto";
import { failedPrecondition } from "../../runtime/errors";

/**
 * The part of a base graph that computes `output`: the nodes it depends on, in their order, with
 * the initializers and inputs they read. Everything else (a classifier's own head, other
 * outputs) is dropped, so the exported model carries only the weights it uses.
 */
export function graphComputing(graph: onnx.IGraphProto, output: string): onnx.IGraphProto {
  const needed = new Set([output]);
  const kept: onnx.INodeProto[] = [];
  const nodes = graph.node ?? [];
  // Nodes are in topological order (the ONNX spec requires it), so one pass backwards suffices.
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index]!;
    if (!(node.output ?? []).some((name) => needed.has(name))) continue;
    kept.push(node);
    for (const name of node.input ?? []) if (name) needed.add(name);
    // A subgraph (If, Loop, Scan) may read values of the outer graph without listing them.
    for (const subgraph of subgraphsOf(node)) forEachNode(subgraph, (inner) => addAll(needed, inner.input));
  }
  kept.reverse();

  const initializerNames = new Set([
    ...(graph.initializer ?? []).map((tensor) => tensor.name ?? ""),
    ...(graph.sparseInitializer ?? []).map((tensor) => tensor.values?.name ?? ""),
  ]);
  const available = new Set([
    ...initializerNames,
    ...(graph.input ?? []).map((input) => input.name ?? ""),
    ...kept.flatMap((node) => node.output ?? []),
  ]);
  if (!available.has(output)) {
    throw failedPrecondition(`the base graph has no value "${output}" to read features from`);
  }
  return {
    name: graph.name,
    docString: graph.docString,
    node: kept,
    initializer: (graph.initializer ?? []).filter((tensor) => needed.has(tensor.name ?? "")),
    sparseInitializer: (graph.sparseInitializer ?? []).filter((tensor) =>
      needed.has(tensor.values?.name ?? ""),
    ),
    // Old exporters list initializers as inputs too: those go with their initializer.
    input: (graph.input ?? []).filter(
      (input) => !initializerNames.has(input.name ?? "") || needed.has(input.name ?? ""),
    ),
    valueInfo: (graph.valueInfo ?? []).filter((value) => needed.has(value.name ?? "")),
    quantizationAnnotation: (graph.quantizationAnnotation ?? []).filter((annotation) =>
      needed.has(annotation.tensorName ?? ""),
    ),
    output: [],
  };
}

/** Every name a graph uses (values, nodes, initializers), nested graphs included. */
export function namesIn(graph: onnx.IGraphProto): Set<string> {
  const names = new Set<string>();
  addAll(
    names,
    (graph.input ?? []).map((value) => value.name),
  );
  addAll(
    names,
    (graph.initializer ?? []).map((tensor) => tensor.name),
  );
  addAll(
    names,
    (graph.valueInfo ?? []).map((value) => value.name),
  );
  forEachNode(graph, (node) => {
    addAll(names, [node.name]);
    addAll(names, node.input);
    addAll(names, node.output);
  });
  return names;
}

/**
 * Renames a value everywhere the graph (and its nested graphs) produces or reads it, so that its
 * name is free for another. A graph input keeps its name: it is the model's interface.
 */
export function renameValue(graph: onnx.IGraphProto, from: string, to: string): void {
  if ((graph.input ?? []).some((input) => input.name === from)) {
    throw failedPrecondition(
      `the base graph's input is named "${from}", a name the exported model's output needs`,
    );
  }
  const rename = (name: string) => (name === from ? to : name);
  forEachNode(graph, (node) => {
    node.input = (node.input ?? []).map(rename);
    node.output = (node.output ?? []).map(rename);
  });
  for (const value of graph.valueInfo ?? []) value.name = rename(value.name ?? "");
  for (const tensor of graph.initializer ?? []) tensor.name = rename(tensor.name ?? "");
  for (const tensor of graph.sparseInitializer ?? []) {
    if (tensor.values) tensor.values.name = rename(tensor.values.name ?? "");
  }
  for (const annotation of graph.quantizationAnnotation ?? []) {
    annotation.tensorName = rename(annotation.tensorName ?? "");
  }
}

function forEachNode(graph: onnx.IGraphProto, visit: (node: onnx.INodeProto) => void): void {
  for (const node of graph.node ?? []) {
    visit(node);
    for (const subgraph of subgraphsOf(node)) forEachNode(subgraph, visit);
  }
}

function subgraphsOf(node: onnx.INodeProto): onnx.IGraphProto[] {
  return (node.attribute ?? []).flatMap((attribute) => [
    ...(attribute.g ? [attribute.g] : []),
    ...(attribute.graphs ?? []),
  ]);
}

function addAll(names: Set<string>, values: ReadonlyArray<string | null | undefined> | null | undefined) {
  for (const value of values ?? []) if (value) names.add(value);
}
