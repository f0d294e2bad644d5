# syntax=docker/dockerfile:1
# One image for every role of Ensemble; the command picks the role:
#   coord-server (the default)   a coordination server (standalone, or an ensemble member)
#   rm-master                    a resource manager master
#   rm-agent                     a resource manager agent (runs as root: see docs/deploy.md)
#   coordctl, rmctl, health-probe   the CLIs
# test/integration/deploy/dockerfile-commands.test.ts runs these stages' commands outside Docker.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: the whole workspace with its dev toolchain, compiled by tsc -b into each dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund
RUN npm run build

# ---- runtime: compiled output, the .proto sources and production dependencies only ----
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards signals and reaps orphans (task wrappers whose agent died).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
# @ensemble/proto loads the .proto files at run time from ../../../proto relative to its dist/.
COPY --from=build /src/proto ./proto
COPY --from=build /src/packages/proto/package.json ./packages/proto/
COPY --from=build /src/packages/proto/dist ./packages/proto/dist
COPY --from=build /src/packages/common/package.json ./packages/common/
COPY --from=build /src/packages/common/dist ./packages/common/dist
COPY --from=build /src/packages/consensus/package.json ./packages/consensus/
COPY --from=build /src/packages/consensus/dist ./packages/consensus/dist
COPY --from=build /src/packages/coord-client/package.json ./packages/coord-client/
COPY --from=build /src/packages/coord-client/dist ./packages/coord-client/dist
COPY --from=build /src/services/coordination/package.json ./services/coordination/
COPY --from=build /src/services/coordination/dist ./services/coordination/dist
COPY --from=build /src/services/resource-manager/package.json ./services/resource-manager/
COPY --from=build /src/services/resource-manager/dist ./services/resource-manager/dist
# After dist/ is in place, so that npm links every workspace bin into node_modules/.bin.
RUN --mount=type=cache,target=/root/.npm npm install --omit=dev --no-audit --no-fund
RUN mkdir -p /data && chown node:node /data

# Inside a container the services listen on every interface and keep their state under /data.
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    COORD_HOST=0.0.0.0 \
    COORD_DATA_DIR=/data/coord \
    RM_HOST=0.0.0.0 \
    RM_WORK_DIR=/data/agent \
    LOG_FORMAT=json
EXPOSE 2181 2888 8181 5050 8050 5051 8051

# The gRPC health service of the role. The default address is the coordination server's; other
# roles set HEALTH_ADDRESS (docker run -e HEALTH_ADDRESS=127.0.0.1:5050) or, as
# docker-compose.yml does, their own healthcheck. Kubernetes uses its native gRPC probes instead.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD health-probe "${HEALTH_ADDRESS:-127.0.0.1:2181}"

USER node
ENTRYPOINT ["tini", "-s", "--"]
CMD ["coord-server"]
