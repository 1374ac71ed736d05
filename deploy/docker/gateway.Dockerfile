# syntax=docker/dockerfile:1
# A city's gateway (REST + web page), built from the project:
#   docker build -f deploy/docker/gateway.Dockerfile -t <imagePrefix>/gateway:<version> .
# Run by the city's docker-compose.yaml of the deployment kit (npm run deploy:kit).
# Not built on the development machines (no Docker engine there); see docs/deployment-kit.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY domain/package.json domain/
COPY network/package.json network/
COPY chaincode/package.json chaincode/
COPY gateway/package.json gateway/
COPY cli/package.json cli/
# As on the development machines: no install scripts (native modules ship prebuilt binaries).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY domain domain
COPY gateway gateway
RUN npx tsc -b domain gateway \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf domain/src gateway/src domain/tsconfig* gateway/tsconfig*

FROM node:20-bookworm-slim
ENV NODE_ENV=production JCC_ROOT=/app
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/domain domain
COPY --from=build /app/gateway gateway
# The store's folder exists in the image so that a fresh named volume is owned by the node user.
RUN mkdir -p /var/lib/jcc/gateway && chown node:node /var/lib/jcc/gateway
USER node
EXPOSE 8101 8102 8103 8104 8105
ENTRYPOINT ["node", "/app/gateway/dist/main.js"]
