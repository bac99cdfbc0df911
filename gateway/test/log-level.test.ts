import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";
import { createLogger } from "../src/logger";

describe("LOG_LEVEL", () => {
  it("defaults to info, and to silent under vitest", () => {
    expect(loadConfig({}).logLevel).toBe("info");
    expect(loadConfig({ VITEST: "true" }).logLevel).toBe("silent");
  });

  it("takes any pino level, and refuses what pino would not know", () => {
    expect(loadConfig({ LOG_LEVEL: "debug", VITEST: "true" }).logLevel).toBe("debug");
    expect(loadConfig({ LOG_LEVEL: "silent" }).logLevel).toBe("silent");
    expect(() => loadConfig({ LOG_LEVEL: "verbose" })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: "INFO" })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "INFO"',
    );
  });
});

describe("createLogger", () => {
  it("logs at the given level, naming the service on every line", () => {
    const gateway = createLogger({ level: "warn" });
    expect(gateway.level).toBe("warn");
    expect(gateway.bindings()).toEqual({ service: "gateway" });
    expect(createLogger({ level: "silent", service: "training-worker" }).bindings()).toEqual({
      service: "training-worker",
    });
  });
});
