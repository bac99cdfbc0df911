import { readFileSync } from "node:fs";
import path from "node:path";
import { tracingConfig } from "@tessera/tracing";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadTierConfig } from "../../src/config";

// The tier's environment in docker-compose.yml (and its CPU override) as the container sees it —
// the image's ENV, then the service's, every value a string — parsed by the tier's own
// configuration, so a misspelt provider or port fails here rather than at `docker compose up`.

const root = path.resolve(import.meta.dirname, "../../..");

type Environment = Record<string, string | number | null>;

function serviceEnvironment(file: string, interpolated: Record<string, string> = {}): Environment {
  const text = readFileSync(path.join(root, file), "utf8").replace(
    /\$\{([A-Z0-9_]+):[-?]([^}]*)\}/g,
    (_match, name: string, fallback: string) => interpolated[name] ?? fallback,
  );
  const resetTag = { tag: "!reset", resolve: () => null };
  const compose = parse(text, { merge: true, customTags: [resetTag] }) as {
    services: Record<string, { environment?: Environment }>;
  };
  return compose.services.inference?.environment ?? {};
}

const imageEnvironment = { INFERENCE_HOST: "0.0.0.0", INFERENCE_PORT: "8001" };

function containerEnvironment(...layers: Environment[]): Record<string, string> {
  const merged = Object.assign({}, imageEnvironment, ...layers) as Environment;
  return Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, String(value ?? "")]));
}

describe("the tier's environment in docker-compose.yml", () => {
  it("serves gRPC on 8001 and metrics on 8002, CUDA first with the CPU to fall back on", () => {
    const config = loadTierConfig(containerEnvironment(serviceEnvironment("docker-compose.yml")));
    expect(config).toMatchObject({ host: "0.0.0.0", port: 8001, metricsPort: 8002 });
    expect(config.executionProviders).toEqual(["cuda", "cpu"]);
    expect(config.triton).not.toBeNull();
  });

  it("traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set", () => {
    const base = serviceEnvironment("docker-compose.yml");
    expect(tracingConfig(containerEnvironment(base))).toBeNull();
    const traced = serviceEnvironment("docker-compose.yml", {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318",
    });
    expect(tracingConfig(containerEnvironment(traced))?.tracesUrl).toBe("http://jaeger:4318/v1/traces");
  });

  it("runs on the CPU provider alone with deploy/compose.cpu.yml", () => {
    const config = loadTierConfig(
      containerEnvironment(
        serviceEnvironment("docker-compose.yml"),
        serviceEnvironment("deploy/compose.cpu.yml"),
      ),
    );
    expect(config.executionProviders).toEqual(["cpu"]);
  });
});
