import type { PackageMetadata } from "./package-metadata";

const cell = (value: unknown) =>
  String(value ?? "—")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

function tensorRows(tensors: PackageMetadata["inputs"]): string {
  return tensors.map((t) => `| ${cell(t.name)} | ${t.dataType} | [${t.shape.join(", ")}] |`).join("\n");
}

/**
 * README.md of a package: a model card (Mitchell et al., 2019) with what the registry knows —
 * details, intended use left to the author's description, tensors, metrics, lineage — and how to
 * check the package by hand.
 */
export function modelCard(metadata: PackageMetadata, categories: readonly string[]): string {
  const metrics = Object.entries(metadata.metrics).filter(
    ([, value]) => value !== null && value !== undefined,
  );
  const shown = categories
    .slice(0, 50)
    .map((label) => `\`${label}\``)
    .join(", ");
  return `# ${metadata.name} (${metadata.version})

${metadata.description ?? "No description was given."}

## Model details

| | |
|---|---|
| Author | ${cell(metadata.author)} |
| License | ${cell(metadata.license)} |
| Type | ${cell(metadata.model_type)} |
| Format | ONNX (opset ${cell(metadata.compatibility.onnx_opset)}) |
| Model file | \`${metadata.primary_file}\` (${metadata.model_size} bytes, sha256 \`${metadata.model_hash}\`) |
| Packaged | ${metadata.created} |
| Tags | ${metadata.tags.length ? metadata.tags.join(", ") : "—"} |

## Categories

${categories.length} categories${categories.length ? `: ${shown}${categories.length > 50 ? ", …" : ""}` : ""} (categories.json, in output order).

## Inputs and outputs

| Input | Type | Shape |
|---|---|---|
${tensorRows(metadata.inputs)}

| Output | Type | Shape |
|---|---|---|
${tensorRows(metadata.outputs)}

-1 marks a dimension of any size. Preprocessing (metadata.json \`preprocessing\`): ${
    metadata.preprocessing ? "as the registry serves it" : "not recorded"
  }.

## Metrics

${metrics.length ? metrics.map(([name, value]) => `- ${name}: ${JSON.stringify(value)}`).join("\n") : "None recorded."}

## Lineage

\`\`\`json
${JSON.stringify(metadata.lineage, null, 2)}
\`\`\`

## Checking this package

\`sha256sum -c MANIFEST.sha256\` checks every file. \`test_data/\` holds an input and the output ONNX
Runtime gave for it (NumPy .npy); a model that reproduces the output within ${metadata.test_data.tolerance.absolute} +
${metadata.test_data.tolerance.relative}·|expected| is the model that was packaged. Tessera's
\`importModelPackage\` checks both before registering it.
`;
}
