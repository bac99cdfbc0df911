import { OnnxGraphBuilder } from "@tessera/onnx";
import { seeded } from "./medium-cnn";

/**
 * A ResNet-style classifier at ImageNet's input size, so that the engine, not the transport, does
 * most of a call's work and batching can pay off: image float32 [batch, 3, 224, 224] → Conv 7×7/2
 * (16) → Relu → MaxPool 3×3/2 → a basic residual block at 56×56 (16) → one at 28×28 (32, stride 2,
 * 1×1 projection) → one at 14×14 (64, stride 2, 1×1 projection) → GlobalAveragePool → Gemm →
 * "logits" [batch, 10]. About 0.14 GFLOPs per image (ResNet-18's layout at a quarter of its
 * width, one block per stage; batch normalisation is left out as ONNX Runtime folds it into the
 * convolutions anyway). Weights are fixed pseudo-random values scaled to keep activations finite.
 */
export const resnetCnn = { input: "image", output: "logits", size: 224, classes: 10 } as const;

interface Layer {
  name: string;
  input: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
}

export function buildResnetCnn(): Uint8Array {
  const { input, output, size, classes } = resnetCnn;
  const values = seeded(11);
  const graph = new OnnxGraphBuilder({ graphName: "resnet-cnn" }).addInput(input, "float32", [
    "batch",
    3,
    size,
    size,
  ]);
  const conv = (layer: Layer): string => {
    const { name, inChannels, outChannels, kernel, stride } = layer;
    // He-style scale: keeps the activations' magnitude roughly constant through the blocks.
    const scale = Math.sqrt(6 / (inChannels * kernel * kernel));
    const count = outChannels * inChannels * kernel * kernel;
    const pad = (kernel - 1) >> 1;
    graph
      .addInitializer(
        `${name}.weight`,
        Float32Array.from({ length: count }, () => (values() - 0.5) * scale),
        [outChannels, inChannels, kernel, kernel],
      )
      .addInitializer(`${name}.bias`, new Float32Array(outChannels), [outChannels])
      .addNode({
        op: "Conv",
        inputs: [layer.input, `${name}.weight`, `${name}.bias`],
        outputs: [name],
        attributes: {
          kernel_shape: { ints: [kernel, kernel] },
          strides: { ints: [stride, stride] },
          pads: { ints: [pad, pad, pad, pad] },
        },
      });
    return name;
  };
  const relu = (from: string): string => {
    graph.addNode({ op: "Relu", inputs: [from], outputs: [`${from}.relu`] });
    return `${from}.relu`;
  };
  /** conv-relu-conv, plus the input (or its 1×1 projection), then relu: ResNet's basic block. */
  const block = (name: string, from: string, inChannels: number, outChannels: number, stride: number) => {
    const first = relu(conv({ name: `${name}.a`, input: from, inChannels, outChannels, kernel: 3, stride }));
    const second = conv({
      name: `${name}.b`,
      input: first,
      inChannels: outChannels,
      outChannels,
      kernel: 3,
      stride: 1,
    });
    const shortcut =
      stride === 1 && inChannels === outChannels
        ? from
        : conv({ name: `${name}.projection`, input: from, inChannels, outChannels, kernel: 1, stride });
    graph.addNode({ op: "Add", inputs: [second, shortcut], outputs: [`${name}.sum`] });
    return relu(`${name}.sum`);
  };

  const stem = relu(conv({ name: "stem", input, inChannels: 3, outChannels: 16, kernel: 7, stride: 2 }));
  graph.addNode({
    op: "MaxPool",
    inputs: [stem],
    outputs: ["pooled"],
    attributes: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } },
  });
  const stage1 = block("stage1", "pooled", 16, 16, 1);
  const stage2 = block("stage2", stage1, 16, 32, 2);
  const stage3 = block("stage3", stage2, 32, 64, 2);
  return graph
    .addInitializer(
      "dense.weight",
      Float32Array.from({ length: classes * 64 }, () => (values() - 0.5) * 0.3),
      [classes, 64],
    )
    .addInitializer("dense.bias", new Float32Array(classes), [classes])
    .addNode({ op: "GlobalAveragePool", inputs: [stage3], outputs: ["features.pooled"] })
    .addNode({
      op: "Flatten",
      inputs: ["features.pooled"],
      outputs: ["features"],
      attributes: { axis: { int: 1 } },
    })
    .addNode({
      op: "Gemm",
      inputs: ["features", "dense.weight", "dense.bias"],
      outputs: [output],
      attributes: { transB: { int: 1 } },
    })
    .addOutput(output, "float32", ["batch", classes])
    .toBytes();
}

/** `batch` images of pseudo-random values in [0, 1), as the float32 tensor the model takes. */
export function resnetImages(batch: number, seed = 1): Float32Array {
  const values = seeded(seed);
  return Float32Array.from({ length: batch * 3 * resnetCnn.size * resnetCnn.size }, () => values());
}
