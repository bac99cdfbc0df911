import { unavailable } from "../../runtime/errors";

/**
 * The bytes all radiance-field runs on this tier may hold together (TESSERA_RECONSTRUCTION_MAX_BYTES,
 * the same limit one run is checked against). Each run alone fits by then, so a run that does
 * not fit beside the others is UNAVAILABLE, not RESOURCE_EXHAUSTED: it will fit once they end,
 * and the gateway retries UNAVAILABLE with backoff.
 */
export class MemoryBudget {
  private reserved = 0;

  constructor(readonly limit: number) {}

  /** Reserves `bytes` or throws UNAVAILABLE; the returned function frees them (once, however often it is called). */
  reserve(bytes: number): () => void {
    if (this.reserved + bytes > this.limit) {
      throw unavailable("the tier is busy with other reconstructions; retry later");
    }
    this.reserved += bytes;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.reserved -= bytes;
    };
  }

  /** Bytes held by runs now. */
  get inUse(): number {
    return this.reserved;
  }
}
