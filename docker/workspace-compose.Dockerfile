# The workspace image, built by `docker compose` from the repository alone: the runner and the
# workspace MCP bundles are built in a stage here, so the host needs no Node toolchain.
#
# docker/workspace.Dockerfile stays the developer path (docker/build-images.sh builds the bundles
# on the host and streams only them). It cannot grow a bundles stage: the legacy builder runs
# every stage of a Dockerfile, so an `npm ci` stage would run (and fail) inside the
# three-file context of build-images.sh, and BuildKit reads its per-Dockerfile .dockerignore,
# which admits only those bundles. Keep the final stage below in step with that file.
#
# The first stages repeat docker/app.Dockerfile instruction for instruction, on purpose: both
# builders cache by parent layer and instruction, so whichever image compose builds second reuses
# the other's `npm ci` instead of running it again.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && cp --parents package.json package-lock.json .npmrc prisma.config.ts prisma/schema.prisma \
      apps/*/package.json packages/*/package.json /out/

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY --from=manifests /out/ ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force

FROM deps AS bundles
COPY . .
RUN npm run build --workspace=@garrison/runner --workspace=@garrison/workspace-mcp \
 && test -s apps/runner/dist/runner.cjs \
 && test -s apps/workspace-mcp/dist/workspace-mcp.cjs

# --- the image every workspace container runs (mirrors docker/workspace.Dockerfile) -----------
# On an offline host NODE_IMAGE is garrison/base:bookworm, the same base build-images.sh uses.
# The public node image also has Node 22, npm and a uid 1000 user; /home/agent is made below.
FROM ${NODE_IMAGE} AS workspace

# Tools agents and the MCP server shell out to (tmux keeps web terminal shells across reloads).
# ca-certificates regenerates the CA bundle from
# /usr/local/share/ca-certificates too, so certificates a seeded base carried over survive.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      bash ca-certificates git procps ripgrep tini tmux \
 && rm -rf /var/lib/apt/lists/*

# /workspace is where the per-workspace volume is mounted; a fresh named volume copies this
# directory's owner, so agents (uid 1000) can write to it.
RUN mkdir -p /workspace /opt/garrison /home/agent && chown 1000:1000 /workspace /home/agent

# iptables is for the network-guard sidecar, which runs this image as root with NET_ADMIN in a
# workspace's network namespace; the agent user has no capability to use it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iptables \
 && rm -rf /var/lib/apt/lists/*

# The agent CLIs, at pinned versions (bump them together with the adapters that drive them).
# Their native binaries come inside npm packages, so this works from the npm registry alone;
# the cache is dropped in the same layer to keep the image smaller.
RUN npm install -g --no-audit --no-fund --loglevel=error \
      @anthropic-ai/claude-code@2.1.329 \
      @openai/codex@0.169.0 \
      opencode-ai@1.18.33 \
      @mariozechner/pi-coding-agent@0.73.1 \
 && npm cache clean --force \
 && claude --version && codex --version && opencode --version && pi --version

COPY --from=bundles /app/apps/runner/dist/runner.cjs /opt/garrison/runner.cjs
COPY --from=bundles /app/apps/workspace-mcp/dist/workspace-mcp.cjs /opt/garrison/workspace-mcp.cjs

USER 1000:1000
WORKDIR /workspace
ENV HOME=/home/agent
# tini as PID 1 reaps the orphans agents leave behind (detached runners, killed shells) and
# forwards signals, so `docker stop` ends the container promptly.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["sleep", "infinity"]
