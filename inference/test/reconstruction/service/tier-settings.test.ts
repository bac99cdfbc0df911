import { describe, expect, it } from "vitest";
import { loadTierConfig } from "../../../src/config";

describe("the tier's reconstruction settings", () => {
  it("reads the memory limit and the default thread count from the environment", () => {
    const config = loadTierConfig({
      TESSERA_RECONSTRUCTION_MAX_BYTES: String(512 * 1024 ** 2),
      INFERENCE_RECONSTRUCTION_THREADS: "3",
    });
    expect(config.reconstruction).toEqual({ maxBytes: 512 * 1024 ** 2, threads: 3 });
  });

  it("defaults to 4 GiB and at most 8 threads", () => {
    const { reconstruction } = loadTierConfig({});
    expect(reconstruction.maxBytes).toBe(4 * 1024 ** 3);
    expect(reconstruction.threads).toBeGreaterThanOrEqual(1);
    expect(reconstruction.threads).toBeLessThanOrEqual(8);
  });

  it.each([
    [
      "TESSERA_RECONSTRUCTION_MAX_BYTES",
      "12",
      'TESSERA_RECONSTRUCTION_MAX_BYTES must be an integer of at least 1048576, got "12"',
    ],
    [
      "INFERENCE_RECONSTRUCTION_THREADS",
      "65",
      'INFERENCE_RECONSTRUCTION_THREADS must be an integer between 1 and 64, got "65"',
    ],
  ])("refuses %s=%s", (name, value, message) => {
    expect(() => loadTierConfig({ [name]: value })).toThrow(message);
  });
});
