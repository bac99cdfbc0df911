import { AppError, badInput, ErrorCode } from "../../errors";
import { limits } from "../../limits";
import { validLabels, validName, validTags, validText } from "../../models/model-validation";
import { ModelType } from "../../generated/prisma/enums";
import type { TensorShape } from "./test-pair";

export const PACKAGE_VERSION = "1.0";
export const METADATA_FILE = "metadata.json";
export const CATEGORIES_FILE = "categories.json";
export const README_FILE = "README.md";
/** Every file of the version sits under this folder, at the path it has in the registry. */
export const MODEL_FOLDER = "model/";
export const TEST_DATA_FOLDER = "test_data/";

export interface TestDataFile {
  name: string;
  file: string;
}

/** metadata.json: seed 004's `.ps2model` fields first, then what Tessera adds. */
export interface PackageMetadata {
  package_version: string;
  name: string;
  version: string;
  author: string | null;
  description: string | null;
  license: string | null;
  created: string;
  format: "onnx";
  num_categories: number;
  tags: string[];
  /** sha256 and size of the primary (ONNX) file. */
  model_hash: string;
  model_size: number;
  framework: "ONNX";
  compatibility: { package_version: string; onnx_opset: number | null; onnxruntime: string; tessera: string };
  slug: string;
  model_type: string;
  primary_file: string;
  inputs: TensorShape[];
  outputs: TensorShape[];
  /** How the registry turns an image into the first input (the deployment's, else the defaults). */
  preprocessing: Record<string, unknown> | null;
  metrics: Record<string, unknown>;
  lineage: Record<string, unknown>;
  test_data: {
    inputs: TestDataFile[];
    outputs: TestDataFile[];
    tolerance: { absolute: number; relative: number };
  };
}

/** What an import takes from a package, every field checked. */
export interface CheckedMetadata {
  raw: PackageMetadata;
  name: string;
  version: string;
  author: string | null;
  created: string | null;
  description: string | null;
  modelType: ModelType;
  tags: string[];
  primaryFile: string;
  testInputs: TestDataFile[];
  testOutputs: TestDataFile[];
}

const bad = (message: string, field: string) =>
  badInput(`${METADATA_FILE}: ${message}`, { file: METADATA_FILE, field });

/** The registry's own checks, reworded to name the package file and field they refuse. */
function checked<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw bad(error.message, field);
    throw error;
  }
}

function text(value: unknown, field: string, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw bad(`"${field}" is missing`, field);
    return null;
  }
  if (typeof value !== "string") throw bad(`"${field}" must be a string`, field);
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw bad(`"${field}" must be a list of strings`, field);
  }
  return value as string[];
}

function testFiles(value: unknown, field: string, listed: ReadonlySet<string>): TestDataFile[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > limits.serving.packageTestTensors) {
    throw bad(`"${field}" must list 1 to ${limits.serving.packageTestTensors} tensors`, field);
  }
  return value.map((entry: unknown, index) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    const name = text(item.name, `${field}[${index}].name`, true) as string;
    const file = text(item.file, `${field}[${index}].file`, true) as string;
    if (!file.startsWith(TEST_DATA_FOLDER) || !file.endsWith(".npy") || !listed.has(file)) {
      throw bad(
        `"${field}[${index}].file" must name a .npy file under ${TEST_DATA_FOLDER} in the package`,
        field,
      );
    }
    return { name, file };
  });
}

/**
 * Checks metadata.json against the manifest (`hashes`) and the entries' sizes: the primary file must
 * be the ONNX file the hash and size describe, and num_categories must count categories.json.
 */
export function checkMetadata(
  json: unknown,
  hashes: ReadonlyMap<string, string>,
  sizes: ReadonlyMap<string, number>,
  categories: readonly string[],
): CheckedMetadata {
  if (!json || typeof json !== "object" || Array.isArray(json)) throw bad("expected a JSON object", "");
  const raw = json as PackageMetadata;
  const packageVersion = text(raw.package_version, "package_version", true) as string;
  if (packageVersion.split(".")[0] !== PACKAGE_VERSION.split(".")[0]) {
    throw bad(
      `package_version ${JSON.stringify(packageVersion)} is not supported; expected ${PACKAGE_VERSION}`,
      "package_version",
    );
  }
  if (raw.format !== "onnx") throw bad(`format must be "onnx", not ${JSON.stringify(raw.format)}`, "format");
  if (raw.framework !== "ONNX")
    throw bad(`framework must be "ONNX", not ${JSON.stringify(raw.framework)}`, "framework");
  const name = checked("name", () => validName(text(raw.name, "name", true) as string));
  const version = text(raw.version, "version", true) as string;
  if (version.length > limits.nameLength)
    throw bad(`"version" holds at most ${limits.nameLength} characters`, "version");
  const modelType = text(raw.model_type, "model_type", false) ?? ModelType.CLASSIFICATION;
  if (!(Object.values(ModelType) as string[]).includes(modelType)) {
    throw bad(`model_type ${JSON.stringify(modelType)} is not a model type`, "model_type");
  }
  const primaryFile = text(raw.primary_file, "primary_file", true) as string;
  if (
    !primaryFile.startsWith(MODEL_FOLDER) ||
    !primaryFile.toLowerCase().endsWith(".onnx") ||
    !hashes.has(primaryFile)
  ) {
    throw bad(`primary_file must name an .onnx file under ${MODEL_FOLDER} in the package`, "primary_file");
  }
  if (raw.model_hash !== hashes.get(primaryFile)) {
    throw bad(`model_hash is not the sha256 of ${primaryFile} in ${"MANIFEST.sha256"}`, "model_hash");
  }
  if (raw.model_size !== sizes.get(primaryFile)) {
    throw bad(
      `model_size ${raw.model_size} is not the size of ${primaryFile} (${sizes.get(primaryFile)} bytes)`,
      "model_size",
    );
  }
  if (raw.num_categories !== categories.length) {
    throw bad(
      `num_categories is ${raw.num_categories} but categories.json lists ${categories.length}`,
      "num_categories",
    );
  }
  const testData = (raw.test_data ?? {}) as Partial<PackageMetadata["test_data"]>;
  const listed = new Set(hashes.keys());
  return {
    raw,
    name,
    version,
    author: text(raw.author, "author", false),
    created: text(raw.created, "created", false),
    description: checked(
      "description",
      () =>
        validText(text(raw.description, "description", false), "description", limits.descriptionLength) ??
        null,
    ),
    modelType: modelType as ModelType,
    tags: checked("tags", () => validTags(stringList(raw.tags, "tags"))) ?? [],
    primaryFile,
    testInputs: testFiles(testData.inputs, "test_data.inputs", listed),
    testOutputs: testFiles(testData.outputs, "test_data.outputs", listed),
  };
}

/** categories.json: a JSON array of label strings (the version's labels, in output order). */
export function checkCategories(json: unknown): string[] {
  if (!Array.isArray(json) || json.some((label) => typeof label !== "string")) {
    throw badInput(`${CATEGORIES_FILE} must be a JSON array of label strings`, { file: CATEGORIES_FILE });
  }
  try {
    return validLabels(json as string[]) ?? [];
  } catch (error) {
    if (error instanceof AppError) {
      throw badInput(`${CATEGORIES_FILE}: ${error.message}`, { file: CATEGORIES_FILE });
    }
    throw error;
  }
}
