import { elementTypeCode } from "@tessera/onnx";
import onnxProto, { type onnx } from "onnx-proto";
import { failedPrecondition, invalidArgument } from "../../runtime/errors";
import { featuresMetadataKey } from "../../runtime/onnx-metadata";
import {
  defaultFeatureEmbedderVersion,
  featureEmbedderFeaturesOf,
} from "../../tasks/embedding/built-in-model";
import type { FeatureSource } from "../base/feature-source";
import type { HeadWeights } from "../contracts";
import { graphComputing, namesIn, renameValue } from "./base-graph";
import { denseHead, GraphNames, pooledFeatures } from "./head-graph";

const { ModelProto } = onnxProto.onnx;

/** The base as export rebuilds it: the embedder's vectors, or a model's graph (its ONNX bytes). */
export type ExportBase =
  | Extract<FeatureSource, { kind: "feature-embedder" }>
  | (Extract<FeatureSource, { kind: "model" }> & { onnx: Uint8Array });

export interface TrainedModelExport {
  base: ExportBase;
  head: HeadWeights;
  /** Class names, one per output of the head's last layer. */
  labels: readonly string[];
  /** Extra metadata_props; "labels" and "tessera.features" are the exporter's own. */
  metadata?: Readonly<Record<string, string>>;
}

/** The exported model's only output: [N, classes], each row summing to 1. */
export const probabilitiesOutput = "probabilities";

/** Operator set of a model without a base graph (the embedder's features as input). */
const featureModelOpset = 13;

/**
 * A trained head as one ONNX model. On a model base: the part of the base graph that computes the
 * feature output (its inputs kept, its other outputs and their nodes dropped), the pooling of a
 * feature map, then the head; the base's IR version and operator sets are kept, since raising
 * them could change what its nodes mean. On the embedder: an input "features" [N, D] and the
 * head, with metadata "tessera.features" telling the tier to compute those vectors first.
 * metadata_props carry "labels" as a JSON array (what the registry and the tier read).
 */
export function exportTrainedModel(options: TrainedModelExport): Uint8Array {
  const { base, head, labels } = options;
  checkHead(head, labels, base);
  const start = base.kind === "model" ? startFromModel(base) : startFromFeatures(base.dimension);
  const { graph, envelope } = start;
  const names = new GraphNames(new Set([...namesIn(graph), probabilitiesOutput]));
  const pooling = start.map && pooledFeatures(start.map, start.features, defaultOpset(envelope), names);
  const parts = [
    ...(pooling ? [pooling] : []),
    denseHead(head, pooling?.output ?? start.features, probabilitiesOutput, names),
  ];
  const exported: onnx.IModelProto = {
    ...envelope,
    producerName: "tessera",
    producerVersion: "",
    docString: "",
    metadataProps: Object.entries(metadataOf(options)).map(([key, value]) => ({ key, value })),
    graph: {
      ...graph,
      node: [...(graph.node ?? []), ...parts.flatMap((part) => part.nodes)],
      initializer: [...(graph.initializer ?? []), ...parts.flatMap((part) => part.initializers)],
      output: [floatValue(probabilitiesOutput, [batchDimensionOf(graph), { dimValue: labels.length }])],
    },
  };
  return ModelProto.encode(exported).finish();
}

/** What the head is appended to: a graph, the value holding the features, and the model around it. */
interface Start {
  graph: onnx.IGraphProto;
  features: string;
  map: "NCHW" | "NHWC" | null;
  envelope: Pick<onnx.IModelProto, "irVersion" | "opsetImport" | "domain" | "functions">;
}

function startFromModel(base: Extract<ExportBase, { kind: "model" }>): Start {
  let model: onnx.ModelProto;
  try {
    model = ModelProto.decode(base.onnx);
  } catch (error) {
    throw failedPrecondition(`the base model's file is not an ONNX model: ${(error as Error).message}`);
  }
  if (!model.graph) throw failedPrecondition("the base model's file holds no ONNX graph");
  const graph = graphComputing(model.graph, base.output);
  let features = base.output;
  // A classifier used as a base may call its scores "probabilities": that name is the output's now.
  const taken = namesIn(graph);
  if (taken.has(probabilitiesOutput)) {
    const renamed = new GraphNames(taken).fresh(`base/${probabilitiesOutput}`);
    renameValue(graph, probabilitiesOutput, renamed);
    if (features === probabilitiesOutput) features = renamed;
  }
  const hasDefault = model.opsetImport.some((entry) => isDefaultDomain(entry.domain));
  return {
    graph,
    features,
    map: base.map,
    envelope: {
      irVersion: model.irVersion,
      opsetImport: hasDefault
        ? model.opsetImport
        : [...model.opsetImport, { domain: "", version: featureModelOpset }],
      domain: model.domain,
      functions: model.functions,
    },
  };
}

/** An empty graph whose input is the embedder's vectors, [batch, D]. */
function startFromFeatures(dimension: number): Start {
  const features = "features";
  return {
    graph: {
      name: "trained-classifier",
      input: [floatValue(features, [{ dimParam: "batch" }, { dimValue: dimension }])],
      node: [],
      initializer: [],
      output: [],
    },
    features,
    map: null,
    envelope: { irVersion: 8, opsetImport: [{ domain: "", version: featureModelOpset }] },
  };
}

function metadataOf(options: TrainedModelExport): Record<string, string> {
  const metadata: Record<string, string> = { labels: JSON.stringify(options.labels) };
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (key !== "labels" && key !== featuresMetadataKey) metadata[key] = value;
  }
  if (options.base.kind === "feature-embedder")
    metadata[featuresMetadataKey] = featureEmbedderFeaturesOf(
      options.base.version ?? defaultFeatureEmbedderVersion,
    );
  return metadata;
}

/** The head must fit the base's features, chain layer to layer and end in one score per label. */
function checkHead(head: HeadWeights, labels: readonly string[], base: ExportBase): void {
  const [first] = head.layers;
  if (!first) throw invalidArgument("the head to export has no dense layer");
  if (base.kind === "feature-embedder" && first.inputs !== base.dimension) {
    throw invalidArgument(
      `the head takes ${first.inputs} features but the built-in embedder gives ${base.dimension}`,
    );
  }
  if (head.inputMean.length !== first.inputs || head.inputScale.length !== first.inputs) {
    throw invalidArgument(
      `the head's standardisation has ${head.inputMean.length} means and ${head.inputScale.length} scales; its first layer takes ${first.inputs} features`,
    );
  }
  head.layers.forEach((layer, index) => {
    const previous = head.layers[index - 1];
    if (previous && previous.outputs !== layer.inputs) {
      throw invalidArgument(
        `dense layer ${index} takes ${layer.inputs} values but layer ${index - 1} gives ${previous.outputs}`,
      );
    }
    if (layer.weights.length !== layer.inputs * layer.outputs || layer.bias.length !== layer.outputs) {
      throw invalidArgument(
        `dense layer ${index} is ${layer.outputs}×${layer.inputs} but has ${layer.weights.length} weights and ${layer.bias.length} biases`,
      );
    }
  });
  const classes = head.layers.at(-1)!.outputs;
  if (classes !== labels.length) {
    throw invalidArgument(`the head scores ${classes} classes but ${labels.length} labels were given`);
  }
}

/** The version of the default ("ai.onnx") operator set. */
function defaultOpset(envelope: Start["envelope"]): number {
  const entry = envelope.opsetImport?.find((candidate) => isDefaultDomain(candidate.domain));
  const version = entry?.version ?? featureModelOpset;
  return typeof version === "number" ? version : version.toNumber();
}

function isDefaultDomain(domain: string | null | undefined): boolean {
  return !domain || domain === "ai.onnx";
}

/** The first dimension of the graph's first input: the output's batch follows it. */
function batchDimensionOf(graph: onnx.IGraphProto): onnx.TensorShapeProto.IDimension {
  const dim = graph.input?.[0]?.type?.tensorType?.shape?.dim?.[0];
  if (dim?.dimParam) return { dimParam: dim.dimParam };
  if (dim?.dimValue != null && (dim as onnx.TensorShapeProto.Dimension).value === "dimValue") {
    return { dimValue: dim.dimValue };
  }
  return { dimParam: "batch" };
}

function floatValue(name: string, dims: onnx.TensorShapeProto.IDimension[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: elementTypeCode("float32"), shape: { dim: dims } } } };
}
