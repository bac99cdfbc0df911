# syntax=docker/dockerfile:1
# The inference tier for GPU hosts: KServe v2 gRPC on ONNX Runtime with the CUDA and TensorRT
# execution providers installed. Build from the repository root:
#   docker build -f deploy/inference.Dockerfile -t tessera-inference .
# The build needs the internet (nuget.org for the ONNX Runtime provider libraries, the NVIDIA
# CUDA image); the running container needs none.

# CUDA 12 and cuDNN 9 user-space libraries, which onnxruntime-node's CUDA provider links against.
# Any CUDA 12.x works (minor-version compatibility); pick one the host driver supports. Ubuntu
# 22.04 libraries run on bookworm (older glibc).
ARG CUDA_IMAGE=nvidia/cuda:12.8.0-cudnn-runtime-ubuntu22.04
FROM ${CUDA_IMAGE} AS cuda

# ---- build: dependencies, code generation, the provider libraries; then dev-only packages go ----
FROM node:20-bookworm-slim AS build

WORKDIR /app

COPY package.json package-lock.json .npmrc tsconfig.json prisma.config.ts ./
COPY gateway/package.json gateway/
COPY inference/package.json inference/
COPY web/package.json web/
COPY prisma prisma
COPY proto proto

# Same install as the gateway image: no dependency script runs, code generation runs explicitly.
RUN npm ci --ignore-scripts \
  && npm run generate

# onnxruntime-node ships only the CPU provider; its install script fetches the CUDA and TensorRT
# provider libraries from nuget.org. The repository's .npmrc skips that (offline machines), so it
# runs here, where the build has the network. ONNXRUNTIME_NODE_INSTALL takes precedence over the
# .npmrc setting; calling the script directly does not depend on npm's install-script policy.
# The empty namespace makes its proxy agent read the standard HTTPS_PROXY / NO_PROXY, which
# Docker passes to builds as predefined build args.
ARG ORT_BIN=/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64
RUN GLOBAL_AGENT_ENVIRONMENT_VARIABLE_NAMESPACE= ONNXRUNTIME_NODE_INSTALL=cuda12 \
  node node_modules/onnxruntime-node/script/install \
  && test -f "${ORT_BIN}/libonnxruntime_providers_cuda.so" \
  && test -f "${ORT_BIN}/libonnxruntime_providers_shared.so"

COPY inference inference
COPY deploy/tier-healthcheck.mjs deploy/

# Build and test tools go; tsx (a dependency of the tier) runs the code and stays.
RUN npm prune --omit=dev --ignore-scripts \
  && npm cache clean --force

# ---- runtime: the pruned tree and the CUDA libraries, run as an unprivileged user ----
FROM node:20-bookworm-slim

WORKDIR /app
COPY --from=build /app /app

COPY --from=cuda \
  /usr/local/cuda/lib64/libcudart.so.12* \
  /usr/local/cuda/lib64/libcublas.so.12* \
  /usr/local/cuda/lib64/libcublasLt.so.12* \
  /usr/local/cuda/lib64/libcufft.so.11* \
  /usr/local/cuda/lib64/libcurand.so.10* \
  /opt/cuda/lib/
COPY --from=cuda /usr/lib/x86_64-linux-gnu/libcudnn*.so.9* /opt/cuda/lib/

# Fail the build, not the first GPU request, when a library the CUDA provider needs is missing.
# libcuda.so.1 is the driver: the NVIDIA container toolkit mounts it from the host at run time;
# onnxruntime's own libraries were checked above.
ARG ORT_BIN=/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64
RUN echo /opt/cuda/lib >/etc/ld.so.conf.d/tessera-cuda.conf \
  && ldconfig \
  && missing=$(ldd "${ORT_BIN}/libonnxruntime_providers_cuda.so" | grep 'not found' | grep -v -e 'libcuda\.so' -e 'libonnxruntime' || true) \
  && if [ -n "$missing" ]; then echo "CUDA provider cannot load: $missing" >&2; exit 1; fi

# The TensorRT provider also needs TensorRT 10's libnvinfer, which this image does not carry: a
# model configured with tensorrt first falls back to cuda (then cpu) with a warning in the log.
ENV NVIDIA_VISIBLE_DEVICES=all \
  NVIDIA_DRIVER_CAPABILITIES=compute,utility \
  INFERENCE_HOST=0.0.0.0 \
  INFERENCE_PORT=8001
EXPOSE 8001
USER node

# KServe ServerReady over gRPC (the tier serves no HTTP health route).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/tier-healthcheck.mjs"]

CMD ["node", "--import", "tsx", "inference/src/main.ts"]
