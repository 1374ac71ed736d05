# syntax=docker/dockerfile:1
# The creditchain chaincode as a service (CCaaS), run beside each city's peer:
#   docker build -f deploy/docker/chaincode.Dockerfile -t <imagePrefix>/chaincode:<version> .
# The compose file passes `server --chaincode-address=… --chaincode-id=${CHAINCODE_ID} <TLS files> --module-path=/app/chaincode`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY domain/package.json domain/
COPY network/package.json network/
COPY chaincode/package.json chaincode/
COPY gateway/package.json gateway/
COPY cli/package.json cli/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY domain domain
COPY chaincode chaincode
RUN npx tsc -b domain chaincode \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf domain/src chaincode/src domain/tsconfig* chaincode/tsconfig*

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app/chaincode
COPY --from=build /app/package.json /app/
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/domain /app/domain
COPY --from=build /app/chaincode /app/chaincode
USER node
EXPOSE 7055
ENTRYPOINT ["node", "/app/node_modules/fabric-shim/cli.js"]
