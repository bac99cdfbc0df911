# syntax=docker/dockerfile:1
# The gateway: GraphQL API, web dashboard, uploads and downloads, migrations applied at start. The
# same image runs job workers (`npm run worker`'s entry, the compose `worker` service), and without
# INFERENCE_URL it also starts a CPU inference tier beside the gateway (deploy/compose.cpu.yml runs
# the tier alone from it).
# Build from the repository root: docker build -f deploy/gateway.Dockerfile -t tessera-gateway .

# ---- build: every dependency, code generation, the dashboard; then the dev-only packages go ----
FROM node:20-bookworm-slim AS build

WORKDIR /app

# Manifests and code-generation inputs first, so editing source reuses the dependency layer.
COPY package.json package-lock.json .npmrc tsconfig.json prisma.config.ts ./
COPY gateway/package.json gateway/
COPY inference/package.json inference/
COPY web/package.json web/
COPY prisma prisma
COPY proto proto

# --ignore-scripts: no dependency may download at install (onnxruntime-node would fetch CUDA
# libraries, Prisma its engines). The only script the stack needs is the project's own code
# generation (Prisma client, gRPC types), run explicitly.
RUN npm ci --ignore-scripts \
  && npm run generate

COPY gateway gateway
COPY inference inference
COPY web web
COPY deploy/tier-healthcheck.mjs deploy/

# The dashboard, built once into web/dist (stamped with its sources' hash, so nothing rebuilds it).
# Then the build and test tools go (vite, vitest, eslint, typescript): the code runs through tsx,
# a dependency of the tier, which keeps it.
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts \
  && npm cache clean --force

# ---- runtime: the pruned tree, owned by root and read-only to the user the process runs as ----
FROM node:20-bookworm-slim

WORKDIR /app
COPY --from=build /app /app

RUN mkdir /data && chown node:node /data
# NODE_ENV stays unset: the gateway decides nothing by it, and Apollo would turn introspection off.
ENV HOST=0.0.0.0 \
  PORT=4000 \
  TESSERA_DATA_DIR=/data
VOLUME /data
EXPOSE 4000
USER node

# /healthz answers 200 once the database and at least one tier are ready.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself, not `npm start`: SIGTERM reaches the gateway directly (it drains on it), and npm's
# prestart (rebuild the dashboard when stale) has nothing to do in an image built from the sources.
CMD ["node", "--experimental-wasm-modules", "--no-warnings=ExperimentalWarning", "--import", "tsx", "gateway/src/main.ts"]
