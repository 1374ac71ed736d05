# syntax=docker/dockerfile:1
# The official Fabric peer image plus the Node.js binary, and nothing else: the project's
# external chaincode-as-a-service builder (network/builders/ccaas, mounted into the peer by the
# compose file) has a `release` step written for Node, and the official image has no Node.
#   docker build -f deploy/docker/peer.Dockerfile -t <imagePrefix>/fabric-peer-ccaas:3.1.5 deploy/docker

FROM node:20-bookworm-slim AS node

FROM hyperledger/fabric-peer:3.1.5
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN node --version
