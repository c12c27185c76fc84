#!/usr/bin/env bash
# Builds the workspace image: seeds the base image if needed, bundles the runner and the
# workspace MCP server, and builds docker/workspace.Dockerfile on top.
#
# The build is skipped when an image labelled with the same content hash (Dockerfile, both
# bundles, base image id) exists; that image is just re-tagged. So a rerun with nothing changed
# costs about a second, and going back to an earlier commit reuses its image.
#
# Env: GARRISON_BASE_IMAGE, GARRISON_WORKSPACE_IMAGE (image:tag names),
#      GARRISON_SKIP_BUNDLES=1 to use the bundles already in apps/*/dist instead of rebuilding them.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_IMAGE="${GARRISON_BASE_IMAGE:-garrison/base:bookworm}"
IMAGE="${GARRISON_WORKSPACE_IMAGE:-garrison/workspace:dev}"
DOCKERFILE=docker/workspace.Dockerfile
BUNDLES=(apps/runner/dist/runner.cjs apps/workspace-mcp/dist/workspace-mcp.cjs)

LOG_TAG=build-images
# shellcheck source=docker/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T_START=$(now_ms)
cd "$REPO"
docker info >/dev/null 2>&1 || die "Docker engine not reachable; run scripts/ensure-services.sh first"

seed_base() {
  # The seed script itself returns at once when the base exists.
  bash docker/seed-base-image.sh
}

build_bundles() {
  if [[ "${GARRISON_SKIP_BUNDLES:-0}" == 1 ]]; then
    log "  GARRISON_SKIP_BUNDLES=1: using the bundles already built"
  else
    npm run build --workspace=@garrison/runner --workspace=@garrison/workspace-mcp
  fi
  local f
  for f in "${BUNDLES[@]}"; do
    [[ -s "$f" ]] || die "$f missing after the bundle build"
  done
}

content_hash() {
  # The base id is part of the hash: a reseeded base must rebuild the image on top of it.
  {
    sha256sum "$DOCKERFILE" "${BUNDLES[@]}"
    echo "base $(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")"
  } | sha256sum | cut -c1-64
}

build_image() {
  local hash existing
  hash=$(content_hash)
  existing=$(docker images -q --no-trunc --filter "label=garrison.content-hash=$hash" | head -n1)
  if [[ -n "$existing" ]]; then
    docker tag "$existing" "$IMAGE"
    log "  up to date (content hash ${hash:0:12}), build skipped"
    return
  fi
  local buildlog
  buildlog=$(mktemp "${TMPDIR:-/tmp}/garrison-build.XXXXXX.log")
  # The context is streamed as a tar of exactly the files the Dockerfile needs: the legacy
  # builder (the only one Debian's docker.io has) would otherwise send the whole repository,
  # node_modules included, and it ignores per-Dockerfile .dockerignore files.
  if ! tar -C "$REPO" -c "$DOCKERFILE" "${BUNDLES[@]}" |
    DOCKER_BUILDKIT=0 docker build --file "$DOCKERFILE" \
      --build-arg "BASE_IMAGE=$BASE_IMAGE" \
      --label "garrison.content-hash=$hash" \
      --tag "$IMAGE" - >"$buildlog" 2>&1; then
    tail -n 40 "$buildlog" >&2
    rm -f "$buildlog"
    die "docker build failed (last lines above)"
  fi
  rm -f "$buildlog"
  log "  built $IMAGE (content hash ${hash:0:12})"
}

step "seed base image" seed_base
step "build bundles" build_bundles
step "build workspace image" build_image
size=$(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')
log "$IMAGE ready ($size), total $(since "$T_START")"
