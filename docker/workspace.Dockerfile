# The image every workspace container runs: the runner and the workspace MCP server, baked in,
# on the registry-free base seeded by docker/seed-base-image.sh (Debian bookworm + Node 22 + npm,
# user `agent` uid 1000). Built by docker/build-images.sh with the repository root as context.
ARG BASE_IMAGE=garrison/base:bookworm
FROM ${BASE_IMAGE}

# Tools agents and the MCP server shell out to (tmux keeps web terminal shells across reloads).
# This layer comes first so that a change to the
# bundles below reuses it from the build cache instead of reinstalling packages.
# ca-certificates regenerates the CA bundle from /usr/local/share/ca-certificates too, so the
# certificates the base image carried over from its host survive.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      bash ca-certificates git procps ripgrep tini tmux \
 && rm -rf /var/lib/apt/lists/*

# /workspace is where the per-workspace volume is mounted; a fresh named volume copies this
# directory's owner, so agents (uid 1000) can write to it.
# /home/agent exists on the seeded base; made here too so the public node image (uid 1000 `node`)
# works as a base as well.
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

# ssh for repositories cloned with a Garrison deploy key (issue 9); the key reaches ssh only as a
# 0600 file for the one git process that needs it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-client \
 && rm -rf /var/lib/apt/lists/*

COPY apps/runner/dist/runner.cjs /opt/garrison/runner.cjs
COPY apps/workspace-mcp/dist/workspace-mcp.cjs /opt/garrison/workspace-mcp.cjs

USER 1000:1000
WORKDIR /workspace
ENV HOME=/home/agent
# tini as PID 1 reaps the orphans agents leave behind (detached runners, killed shells) and
# forwards signals, so `docker stop` ends the container promptly.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["sleep", "infinity"]
