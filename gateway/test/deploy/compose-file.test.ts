import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config";

// docker-compose.yml cannot be run here (no Docker; CI runs `docker compose config -q` where it
// exists), so this reads it as Compose does — YAML merge keys, `${VAR:-default}` interpolation — and
// checks what an operator would otherwise find out at `up`: variables the processes never read,
// a proxy that drops WebSocket upgrades, a missing health check, an image that runs as root.

const root = path.resolve(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

interface Healthcheck {
  test?: string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
  profiles?: string[];
  restart?: string;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
  deploy?: {
    replicas?: number;
    resources?: {
      reservations?: { devices?: { driver?: string; count?: number; capabilities?: string[] }[] };
    };
  };
}
interface ComposeFile {
  services: Record<string, Service>;
}

/** Compose's interpolation: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (match, name, operator, operand) => {
    if (match === "$$") return "$";
    const value = env[name];
    const unset = operator?.startsWith(":") ? !value : value === undefined;
    if (operator?.endsWith("?") && unset) throw new Error(`required variable ${name} is missing: ${operand}`);
    if (operator?.endsWith("-") && unset) return operand;
    return value ?? "";
  });
}

/** `!reset` reads as `{ reset: true }` here, and as null (what it leaves) for the schema. */
function loadCompose(
  file: string,
  env: Record<string, string>,
  reset: unknown = { reset: true },
): ComposeFile {
  const resetTag = { tag: "!reset", resolve: () => reset };
  return parse(interpolate(read(file), env), { merge: true, customTags: [resetTag] }) as ComposeFile;
}

/** Every `.ts` under the source folders, generated code and tests left out. */
function sourceText(...folders: string[]): string {
  const skipped = new Set(["generated", "node_modules", "test"]);
  return folders
    .flatMap((folder) =>
      readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts") && !file.split(path.sep).some((part) => skipped.has(part)))
        .map((file) => read(path.join(folder, file))),
    )
    .join("\n");
}

/** The instructions of a Dockerfile's last stage (the image that runs). */
function finalStage(dockerfile: string): string[] {
  const instructions = read(dockerfile)
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  return instructions.slice(lastFrom);
}

const env = { TESSERA_SECRET_KEY: "c2VjcmV0LWtleS1mb3ItdGhlLWNvbXBvc2UtdGVzdCE=" };
const compose = loadCompose("docker-compose.yml", env);
const { services } = compose;
function service(name: string, file: ComposeFile = compose): Service {
  const found = file.services[name];
  if (!found) throw new Error(`no service "${name}"`);
  return found;
}
// proto/ holds the small packages both sides share.
const gatewaySources = sourceText("gateway/src", "proto");
const tierSources = sourceText("inference/src", "proto");

// Read by a library from the environment, not by our sources: the AWS SDK's default credential chain.
const readByLibraries = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);

describe("docker-compose.yml", () => {
  it("is valid under the Compose Specification's schema, with deploy/compose.cpu.yml too", () => {
    // compose-spec/compose-spec's schema/compose-spec.json (commit a08f8d5, Apache-2.0): the schema
    // Docker Compose validates a file against before anything else.
    const schema = JSON.parse(read("gateway/test/deploy/compose-spec.schema.json")) as Record<
      string,
      unknown
    >;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile({
      ...schema,
      $schema: undefined,
    });
    for (const file of ["docker-compose.yml", "deploy/compose.cpu.yml"]) {
      validate(loadCompose(file, env, null));
      expect(validate.errors ?? [], file).toEqual([]);
    }
    // The schema is not vacuous: a misspelt key and an unknown depends_on condition are refused.
    const broken = structuredClone(compose);
    Object.assign(service("gateway", broken), {
      deploy: { replica: 2 },
      depends_on: { "minio-bucket": { condition: "service_done" } },
    });
    validate(broken);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(
      expect.arrayContaining([
        "/services/gateway/deploy",
        "/services/gateway/depends_on/minio-bucket/condition",
      ]),
    );
  });

  it("runs the issue's layout: pgvector, an S3 store, two gateways behind a proxy, a worker, a GPU tier", () => {
    expect(service("postgres").image).toMatch(/^pgvector\/pgvector:/);
    expect(service("minio").command?.[0]).toBe("server");
    expect(service("gateway").deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(service("proxy").build?.dockerfile).toBe("deploy/proxy.Dockerfile");
    expect(service("worker").command?.at(-1)).toBe("gateway/src/training/worker/worker-main.ts");
    expect(service("inference").deploy?.resources?.reservations?.devices).toEqual([
      { driver: "nvidia", count: 1, capabilities: ["gpu"] },
    ]);
    expect(service("triton").profiles).toEqual(["triton"]);
    // Only the proxy faces users; the rest publish nothing, or on loopback only.
    const published = Object.entries(services)
      .filter(([, service]) => !service.profiles)
      .flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));
    expect(published).toEqual(["postgres 127.0.0.1:5432:5432", "proxy 4000:8080"]);
  });

  it("refuses to start without TESSERA_SECRET_KEY, which every process must share", () => {
    expect(() => loadCompose("docker-compose.yml", {})).toThrow(
      "required variable TESSERA_SECRET_KEY is missing",
    );
  });

  it("sets only variables the gateway or the tier reads", () => {
    const unread: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const runsTier = service.command?.includes("inference/src/main.ts") || name === "inference";
      const sources = runsTier ? tierSources : gatewaySources;
      for (const variable of Object.keys(service.environment ?? {})) {
        if (readByLibraries.has(variable)) continue;
        if (!new RegExp(`\\b${variable}\\b`).test(sources)) unread.push(`${name}: ${variable}`);
      }
    }
    expect(unread).toEqual([]);
  });

  it("gives every gateway-image process the same database, blob store, tiers and key", () => {
    const shared = [
      "DATABASE_URL",
      "INFERENCE_URL",
      "TESSERA_BLOB_URL",
      "TESSERA_S3_ENDPOINT",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "TESSERA_SECRET_KEY",
    ];
    const gateway = service("gateway").environment ?? {};
    const worker = service("worker").environment ?? {};
    for (const variable of shared) expect(worker[variable], variable).toBe(gateway[variable]);

    expect(gateway.DATABASE_URL).toBe("postgresql://tessera:tessera@postgres:5432/tessera");
    expect(gateway.INFERENCE_URL).toBe("inference:8001");
    expect(gateway.TESSERA_SECRET_KEY).toBe(env.TESSERA_SECRET_KEY);
    // The blob store is MinIO's bucket, which the one-shot service creates before any gateway starts.
    expect(gateway.TESSERA_BLOB_URL).toBe("s3://tessera/blobs");
    expect(gateway.TESSERA_S3_ENDPOINT).toBe("http://minio:9000");
    expect(service("minio").environment).toMatchObject({
      MINIO_ROOT_USER: gateway.AWS_ACCESS_KEY_ID,
      MINIO_ROOT_PASSWORD: gateway.AWS_SECRET_ACCESS_KEY,
    });
    expect(service("minio-bucket").command?.join("\n")).toContain(
      "mc mb --ignore-existing tessera/tessera\n",
    );
    expect(service("gateway").depends_on?.["minio-bucket"]).toEqual({
      condition: "service_completed_successfully",
    });
  });

  it("gives the gateway and the worker an environment their configuration accepts", () => {
    // What the container sees: the image's ENV, then the service's environment, as strings.
    const containerEnv = (name: string, extra: Record<string, string> = {}) => ({
      HOST: "0.0.0.0",
      PORT: "4000",
      TESSERA_DATA_DIR: "/data",
      ...Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, String(value ?? "")]),
      ),
      ...extra,
    });
    const gateway = loadConfig(containerEnv("gateway"));
    expect(gateway.blobStorage.location).toMatchObject({
      kind: "s3",
      bucket: "tessera",
      prefix: "blobs/",
      endpoint: "http://minio:9000",
      forcePathStyle: true,
    });
    expect(gateway.blobStorage.downloads).toBe("proxy");
    // The cache lives in the container's own layer, not in the image's /data volume.
    expect(gateway.blobStorage.cache.dir.startsWith("/tmp/tessera/blob-cache/")).toBe(true);
    expect(gateway.inferenceUrls).toEqual(["inference:8001"]);
    expect(gateway.trainingWorkers.workers).toBe(0);
    expect(gateway.tracing).toBeNull();
    expect(loadConfig(containerEnv("worker")).trainingWorkers.workers).toBe(1);
    // The observability profile's endpoint turns traces on.
    const traced = loadConfig(containerEnv("gateway", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318" }));
    expect(traced.tracing?.tracesUrl).toBe("http://jaeger:4318/v1/traces");
  });

  it("runs jobs in the worker service only", () => {
    const jobWorkers = Object.keys(service("gateway").environment ?? {}).filter((variable) =>
      /^TESSERA_[A-Z_]+_WORKERS$/.test(variable),
    );
    expect(jobWorkers.sort()).toEqual(
      [...new Set(gatewaySources.match(/TESSERA_[A-Z_]+_WORKERS\b/g))].sort(),
    );
    for (const variable of jobWorkers) {
      expect(service("gateway").environment?.[variable], variable).toBe(0);
      expect(service("worker").environment?.[variable], variable).toBe(1);
    }
  });

  it("has a health check on every long-running service, in the file or in its image", () => {
    // The worker serves no port: its jobs' heartbeats are its health (a dead worker's jobs resume
    // elsewhere after TESSERA_TRAINING_STALE_MS).
    const withoutHealthcheck = Object.entries(services)
      .filter(([, service]) => service.restart !== "no")
      .filter(([, service]) => {
        if (service.healthcheck) return service.healthcheck.disable === true;
        const dockerfile = service.build?.dockerfile;
        return !dockerfile || !finalStage(dockerfile).some((line) => line.startsWith("HEALTHCHECK"));
      })
      .map(([name]) => name);
    expect(withoutHealthcheck).toEqual(["worker"]);
  });

  it("builds multi-stage images that run as an unprivileged user", () => {
    const dockerfiles = [
      ...new Set(Object.values(services).flatMap((service) => service.build?.dockerfile ?? [])),
    ];
    expect(dockerfiles.sort()).toEqual([
      "deploy/gateway.Dockerfile",
      "deploy/inference.Dockerfile",
      "deploy/proxy.Dockerfile",
    ]);
    for (const dockerfile of dockerfiles) {
      const user = finalStage(dockerfile)
        .filter((line) => line.startsWith("USER "))
        .at(-1);
      expect(user, dockerfile).toMatch(/^USER (node|101)$/);
    }
    for (const dockerfile of ["deploy/gateway.Dockerfile", "deploy/inference.Dockerfile"]) {
      expect(read(dockerfile).match(/^FROM .* AS build$/m), dockerfile).not.toBeNull();
      expect(finalStage(dockerfile).some((line) => line.startsWith("COPY --from=build /app /app"))).toBe(
        true,
      );
    }
  });

  it("copies into the images only files that exist and that the build context lets through", () => {
    const proxyIgnore = read("deploy/proxy.Dockerfile.dockerignore");
    expect(read("deploy/proxy.Dockerfile")).toContain("COPY deploy/proxy/tessera.conf ");
    expect(proxyIgnore).toContain("!deploy/proxy/tessera.conf");
    for (const dockerfile of ["deploy/gateway.Dockerfile", "deploy/inference.Dockerfile"]) {
      expect(read(dockerfile)).toContain("COPY deploy/tier-healthcheck.mjs deploy/");
      expect(read(`${dockerfile}.dockerignore`)).not.toMatch(/^deploy\/?$/m);
    }
    expect(read("deploy/tier-healthcheck.mjs")).toContain("/inference.GRPCInferenceService/ServerReady");
    expect(service("inference").healthcheck?.test).toEqual(["CMD", "node", "deploy/tier-healthcheck.mjs"]);
  });

  it("lists every variable it interpolates in deploy/README.md", () => {
    const readme = read("deploy/README.md");
    const interpolated = [
      ...new Set([...read("docker-compose.yml").matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1])),
    ];
    expect(interpolated.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe("deploy/README.md", () => {
  it("links only to sections and files that exist", () => {
    // GitHub's heading anchors: lower case, spaces to hyphens, other punctuation dropped.
    const anchors = (file: string) =>
      new Set(
        [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map((heading) =>
          heading[1]!
            .trim()
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-"),
        ),
      );
    const targets = new Set(
      [...read("deploy/README.md").matchAll(/\]\(([^)\s]+)\)/g)].map((link) => link[1]!),
    );
    const broken = [...targets]
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [file, anchor] = target.split("#");
        const resolved = file ? path.join("deploy", file) : "deploy/README.md";
        if (!existsSync(path.join(root, resolved))) return true;
        return anchor !== undefined && !anchors(resolved).has(anchor);
      });
    expect(broken).toEqual([]);
  });
});

describe("deploy/proxy/tessera.conf", () => {
  const conf = read("deploy/proxy/tessera.conf");

  it("passes WebSocket upgrades and keeps plain requests on kept-alive connections", () => {
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*""\s+"";\s*\}/);
    expect(conf).toContain("proxy_http_version 1.1;");
    expect(conf).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(conf).toContain("proxy_set_header Connection $connection_upgrade;");
  });

  it("balances over every replica of the gateway service, found through Docker's DNS", () => {
    expect(conf).toMatch(/upstream gateway \{[^}]*server gateway:4000 resolve;[^}]*\}/);
    expect(conf).toContain("resolver 127.0.0.11");
    expect(conf).toContain("proxy_pass http://gateway;");
    // Host with its port: the gateway builds absolute links (signed URLs) from it.
    expect(conf).toContain("proxy_set_header Host $http_host;");
    expect(conf).toMatch(/listen 8080;/);
  });

  it("leaves upload bounds to the gateway and keeps /metrics internal", () => {
    expect(conf).toContain("client_max_body_size 0;");
    expect(conf).toContain("proxy_request_buffering off;");
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });
});

describe("deploy/compose.cpu.yml", () => {
  it("runs the tier from the gateway image on the CPU provider with no GPU reserved", () => {
    const override = service("inference", loadCompose("deploy/compose.cpu.yml", env));
    expect(override.build?.dockerfile).toBe("deploy/gateway.Dockerfile");
    expect(override.command).toEqual(["node", "--import", "tsx", "inference/src/main.ts"]);
    expect(override.environment).toEqual({ INFERENCE_EXECUTION_PROVIDERS: "cpu" });
    expect(override.deploy).toEqual({ reset: true });
    // The base file's health check (gRPC, not the gateway image's HTTP one) stays in force.
    expect(override.healthcheck).toBeUndefined();
  });
});

describe("deploy/prometheus/prometheus.yml", () => {
  it("scrapes every gateway replica and the tier's metrics port", () => {
    const config = parse(read("deploy/prometheus/prometheus.yml")) as {
      scrape_configs: {
        job_name: string;
        dns_sd_configs: { names: string[]; type: string; port: number }[];
      }[];
    };
    const targets = config.scrape_configs.map((job) => [job.job_name, job.dns_sd_configs]);
    expect(targets).toEqual([
      ["gateway", [{ names: ["gateway"], type: "A", port: 4000 }]],
      [
        "inference",
        [
          {
            names: ["inference"],
            type: "A",
            port: Number(service("inference").environment?.INFERENCE_METRICS_PORT),
          },
        ],
      ],
    ]);
  });
});
