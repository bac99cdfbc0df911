import { invalidArgument } from "../../runtime/errors";
import type { RadianceFieldRun } from "../contracts";

/**
 * Restores a run from the client's checkpoint. A checkpoint that does not restore (another run's
 * settings, truncated or foreign bytes) can never succeed on a retry: INVALID_ARGUMENT.
 */
export async function restoreCheckpoint(restore: () => Promise<RadianceFieldRun>): Promise<RadianceFieldRun> {
  try {
    return await restore();
  } catch (error) {
    // The optimiser refuses a checkpoint it cannot restore with a RangeError saying why.
    if (!(error instanceof RangeError)) throw error;
    throw invalidArgument(`The checkpoint cannot be restored for this run: ${error.message}`);
  }
}
