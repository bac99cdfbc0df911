# syntax=docker/dockerfile:1
# The reverse proxy in front of the gateway replicas: nginx, unprivileged (uid 101, port 8080).
# Build from the repository root: docker build -f deploy/proxy.Dockerfile -t tessera-proxy .
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28-alpine
FROM ${NGINX_IMAGE}

COPY deploy/proxy/tessera.conf /etc/nginx/conf.d/default.conf

EXPOSE 8080
USER 101

HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/proxy-healthz"]
