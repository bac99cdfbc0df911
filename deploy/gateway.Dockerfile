# syntax=docker/dockerfile:1
# The gateway: GraphQL API, web dashboard, uploads and downloads, training workers, migrations
# applied at start. The same image runs extra training workers with `npm run worker`.
# Build from the repository root: docker build -f deploy/gateway.Dockerfile -t tessera-gateway .
# Without INFERENCE_URL the same image also starts a CPU inference tier beside the gateway.
FROM node:20-bookworm-slim

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
# generation (Prisma client, gRPC types), run explicitly. Dev dependencies stay: the code runs
# through tsx.
RUN npm ci --ignore-scripts \
  && npm run generate \
  && npm cache clean --force

COPY gateway gateway
COPY inference inference
COPY web web

# The dashboard, built once into web/dist (npm start then finds it fresh and serves it at /).
RUN npm run build

RUN mkdir /data && chown node:node /data
ENV HOST=0.0.0.0 \
  PORT=4000 \
  TESSERA_DATA_DIR=/data
VOLUME /data
EXPOSE 4000
USER node

# /healthz answers 200 only once the database and the tier are ready too.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["npm", "start"]
