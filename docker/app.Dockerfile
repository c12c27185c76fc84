# Two images from one build: `server` for the api, the worker, the model gateway and the one-shot
# migrate job (they share the monorepo, its lockfile and the generated Prisma client, and differ
# only in the command compose.yaml gives each), and `web` for the dashboard, Next's standalone
# server alone (no full node_modules). One file, so both come from the same `npm ci` and build.
#
#   docker build -f docker/app.Dockerfile --target server -t garrison/app:dev .
#   docker build -f docker/app.Dockerfile --target web -t garrison/web:dev .
#   (an offline host: --build-arg NODE_IMAGE=garrison/base:bookworm, see docker/seed-base-image.sh)
#
# Works with the legacy builder (the only one Debian's docker.io has) and with BuildKit. The repo
# root is the context; the root .dockerignore keeps node_modules, .next, dist, .git and .env out.
#
# TLS: npm trusts whatever the base image's Node trusts. garrison/base carries the CA bundle of
# the host it was seeded on and sets NODE_EXTRA_CA_CERTS, so a build on a machine whose TLS is
# intercepted works; the public node image uses Node's own CA list. Nothing here sets a registry.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- manifests: only what `npm ci` reads, so a source change does not re-run the install -------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
# The globs are the `workspaces` of the root package.json. The Prisma schema and config are here
# because the root postinstall generates the client from them.
RUN mkdir -p /out \
 && cp --parents package.json package-lock.json .npmrc prisma.config.ts prisma/schema.prisma \
      apps/*/package.json packages/*/package.json /out/

# --- deps: the full dependency tree, exactly as locked ----------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# PRISMA_SCHEMA_ENGINE_BINARY: `prisma generate` (root postinstall) only needs it to point at an
# existing file; without it the Prisma CLI tries to download a native engine, which an offline
# host cannot. The app never uses that engine (migrations run through the wasm engine).
ENV NEXT_TELEMETRY_DISABLED=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY --from=manifests /out/ ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force

# --- build: the dashboard ---------------------------------------------------------------------
FROM deps AS build
COPY . .
# GARRISON_NEXT_STANDALONE: apps/web/next.config.ts adds `output: standalone` for the web image.
RUN GARRISON_NEXT_STANDALONE=1 npm run build -w @garrison/web \
 && test -s apps/web/.next/standalone/apps/web/server.js
# The worker builds the workspace image when it is missing (from docker/workspace.Dockerfile and
# these two bundles), so they ship in this image; esbuild itself stays in this stage.
RUN npm run build -w @garrison/runner -w @garrison/workspace-mcp \
 && test -s apps/runner/dist/runner.cjs && test -s apps/workspace-mcp/dist/workspace-mcp.cjs

# --- prod: only what the server apps load at run time -----------------------------------------
# `npm prune --omit=dev` keeps the Prisma CLI (and with it effect, studio and a bundled Postgres,
# about 170 MB), because @prisma/client names it as an optional peer. So the tree is pruned from
# the lockfile instead: keep what the workspaces' `dependencies` reach through `dependencies`,
# `optionalDependencies` and required peers, plus tsx (a devDependency the apps run through) and
# what it needs; delete every other package under node_modules. The dashboard is not a root: it
# has an image of its own (`web` below), so Next and React stay out of this one.
FROM build AS prod
RUN rm -rf apps/web node_modules/@garrison/web \
 && node -e ' \
      const fs = require("fs"), { dirname } = require("path").posix; \
      const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages; \
      const up = (dir) => (dir === "" ? null : dirname(dir) === "." ? "" : dirname(dir)); \
      const find = (from, name) => { \
        for (let dir = from; dir !== null; dir = up(dir)) { \
          const at = (dir ? dir + "/" : "") + "node_modules/" + name; \
          if (lock[at]) return at; \
        } \
        return null; \
      }; \
      const keep = new Set(), todo = Object.keys(lock).filter((at) => !at.includes("node_modules") && at !== "apps/web"); \
      todo.push("node_modules/tsx"); \
      while (todo.length) { \
        let at = todo.pop(); \
        if (keep.has(at)) continue; \
        keep.add(at); \
        const pkg = lock[at]; \
        if (pkg.link) { todo.push(pkg.resolved); continue; } \
        const meta = pkg.peerDependenciesMeta || {}; \
        const names = [ \
          ...Object.keys(pkg.dependencies || {}), \
          ...Object.keys(pkg.optionalDependencies || {}), \
          ...Object.keys(pkg.peerDependencies || {}).filter((name) => !(meta[name] && meta[name].optional)), \
        ]; \
        for (const name of names) { const dep = find(at, name); if (dep) todo.push(dep); } \
      } \
      let removed = 0; \
      for (const at of Object.keys(lock)) { \
        if (!at.includes("node_modules/") || keep.has(at) || !fs.existsSync(at)) continue; \
        fs.rmSync(at, { recursive: true, force: true }); \
        removed++; \
      } \
      console.log("pruned " + removed + " packages, kept " + keep.size); \
    ' \
 && find node_modules/.bin -xtype l -delete \
 && rm -rf "$HOME/.npm"
# Fail the build, not the first start, if the pruned tree lost something the apps load:
# importing these modules loads every dependency of the api, the worker, the gateway and the migrate job.
RUN node --import tsx --input-type=module -e " \
      await import('/app/apps/api/src/server.ts'); \
      await import('/app/apps/worker/src/worker.ts'); \
      await import('/app/apps/gateway/src/server.ts'); \
      await import('/app/packages/db/src/migrate/schema-engine.ts');" \
 && node_modules/.bin/tsx --version >/dev/null

# --- web: the dashboard, as Next's standalone server -------------------------------------------
FROM ${NODE_IMAGE} AS web
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
WORKDIR /app
# The traced server (with the node_modules it needs) and the static assets it does not copy itself.
COPY --from=build /app/apps/web/.next/standalone ./
COPY --from=build /app/apps/web/.next/static ./apps/web/.next/static
# Code stays owned by root and read-only to the app user; only Next's runtime cache is writable.
RUN mkdir -p apps/web/.next/cache && chown 1000:1000 apps/web/.next/cache
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/login').then((res) => process.exit(res.status < 500 ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/web/server.js"]

# --- server: api, worker, gateway, migrate (the default target) --------------------------------
# Last in the file, so a build without --target gives this image. No HEALTHCHECK here: the one
# image runs four different processes; compose.yaml gives each service its own.
FROM ${NODE_IMAGE} AS server
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
# Code stays owned by root and read-only to the app user.
COPY --from=prod /app /app
# uid 1000 exists in both bases (`node` in the public image, `agent` in garrison/base).
USER 1000:1000
EXPOSE 3001 8790
# compose.yaml sets the command per service; this default is the API.
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
