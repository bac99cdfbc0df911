import { badInput } from "../../errors";
import { limits } from "../../limits";
import { unlabeledFolder } from "../pool/unlabeled-pool";

/**
 * A class name as edits take it: trimmed, 1–100 characters, and not `_unlabeled`, the unlabeled
 * pool's folder, which exports write beside the class folders.
 */
export function checkClassName(name: string, field: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > limits.classNameLength) {
    throw badInput(
      `A class name must be 1–${limits.classNameLength} characters after trimming, got "${name}"`,
      { field },
    );
  }
  if (trimmed === unlabeledFolder) {
    throw badInput(
      `"${unlabeledFolder}" is the unlabeled pool's folder, not a class name: pick another name`,
      { field },
    );
  }
  return trimmed;
}
