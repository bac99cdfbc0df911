import type { ModelVersionDetailQuery } from "../gql/graphql";
import { FactList, type Fact } from "../ui/fact-list";
import { formatBytes, formatDateTime, formatEnum, formatNumber } from "../ui/format";
import { ValidationBadge } from "./validation-badge";

type Model = NonNullable<ModelVersionDetailQuery["model"]>;
type Version = NonNullable<Model["version"]>;

/** What is known about a version, as a definition list; absent facts are left out. */
export function VersionFacts({ model, version }: { model: Model; version: Version }) {
  const json = (value: unknown) =>
    value === null || value === undefined ? null : JSON.stringify(value, null, 2);
  const facts: Fact[] = [
    ["Model", `${model.owner.handle}/${model.slug}`],
    ["Type", formatEnum(model.modelType)],
    ["Framework", formatEnum(model.framework)],
    ["Number", `#${version.number} (KServe version)`],
    ["Created", formatDateTime(version.createdAt)],
    ["Size", formatBytes(version.sizeBytes)],
    [
      "Validation",
      <>
        <ValidationBadge validation={version.validation} />
        {version.invalidReason && <span className="muted"> {version.invalidReason}</span>}
      </>,
    ],
    ["Aliases", version.aliases.join(", ") || "—"],
    ["Production-ready", version.isProductionReady ? "Yes" : "No"],
    ["Active", version.isActive ? "Yes" : "No"],
  ];
  if (version.opset !== null) facts.push(["ONNX opset", String(version.opset)]);
  if (version.numParameters !== null) facts.push(["Parameters", formatNumber(version.numParameters)]);
  if (version.pythonVersion) facts.push(["Python", version.pythonVersion]);
  if (version.dependencies.length > 0) facts.push(["Dependencies", version.dependencies.join(", ")]);
  const hardware = json(version.hardwareRequirements);
  if (hardware) facts.push(["Hardware", <pre key="hardware">{hardware}</pre>]);
  const custom = json(version.customMetadata);
  if (custom) facts.push(["Custom metadata", <pre key="custom">{custom}</pre>]);

  return (
    <section aria-labelledby="facts-title">
      <h2 id="facts-title">Metadata</h2>
      <FactList facts={facts} />
    </section>
  );
}
