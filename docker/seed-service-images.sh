#!/usr/bin/env bash
# Builds local stand-ins for the three public images compose.yaml runs, for hosts that reach no
# container registry (only Debian's apt mirrors and npm):
#
#   garrison/postgres:15  Debian's postgresql-15, stands in for postgres:16-bookworm
#   garrison/redis:7      Debian's redis-server,  stands in for redis:7-bookworm
#   garrison/caddy:2      Debian's caddy (2.6),   stands in for caddy:2
#
# Each is built FROM the offline base image (docker/seed-base-image.sh, run first if missing) and
# has a small entrypoint that honours what compose.yaml gives the official image: POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB and PGDATA (initdb on an empty data dir, listen on all
# addresses, scram-sha-256 for network clients); redis-server arguments; caddy's
# `run --config /etc/caddy/Caddyfile --adapter caddyfile` with /data and /config volumes.
# Afterwards set in .env:
#   POSTGRES_IMAGE=garrison/postgres:15 REDIS_IMAGE=garrison/redis:7 CADDY_IMAGE=garrison/caddy:2
#   NODE_IMAGE=garrison/base:bookworm
# Note: PostgreSQL 15 data cannot be opened by 16 (or back): pick one image before the first start.
#
# Usage: docker/seed-service-images.sh [postgres] [redis] [caddy]   (default: all three)
# Idempotent: an image built from this same script is kept (its `garrison.seed-recipe` label
# matches); one built by an older version of the script is rebuilt; an image someone else made
# under that name (no label) is left alone.
# Env: GARRISON_BASE_IMAGE (default garrison/base:bookworm).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_IMAGE="${GARRISON_BASE_IMAGE:-garrison/base:bookworm}"
declare -A IMAGES=([postgres]=garrison/postgres:15 [redis]=garrison/redis:7 [caddy]=garrison/caddy:2)

LOG_TAG=seed-services
# shellcheck source=docker/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T_START=$(now_ms)
# The recipe is this file (Dockerfiles and entrypoints live in it) plus the base image's id.
RECIPE_FILE=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "Docker engine not reachable"

WANTED=("$@")
[[ ${#WANTED[@]} -gt 0 ]] || WANTED=(postgres redis caddy)
for name in "${WANTED[@]}"; do
  [[ -n "${IMAGES[$name]:-}" ]] || die "unknown image '$name' (choose from: postgres redis caddy)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/garrison-seed-services.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- Dockerfiles and entrypoints ---------------------------------------------------------------
write_postgres() {
  local dir=$1
  cat >"$dir/Dockerfile" <<'EOF'
ARG BASE_IMAGE=garrison/base:bookworm
FROM ${BASE_IMAGE}
# No default cluster: the entrypoint initialises $PGDATA on first start, as the official image does.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-common \
 && sed -ri 's/^#?[[:space:]]*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
RUN mkdir -p "$PGDATA" /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 3777 /var/run/postgresql
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
# Fast shutdown (what the official image uses): `docker stop` must not wait for idle clients.
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
EOF
  cat >"$dir/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
# Stand-in for the official postgres image's entrypoint: same env, same data dir, same auth.
set -Eeuo pipefail

if [[ "${1:-}" == -* ]]; then set -- postgres "$@"; fi
# Anything but the server (psql, pg_dump, a shell), and `postgres --version` and friends, runs as given.
if [[ "${1:-}" != postgres ]]; then exec "$@"; fi
for arg in "$@"; do
  case "$arg" in -'?'|--help|--describe-config|-V|--version|-C) exec "$@" ;; esac
done

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA

if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [[ -z "${POSTGRES_PASSWORD:-}" && "$auth" != trust ]]; then
    echo "error: the database is uninitialized and POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  echo "initializing $PGDATA (user $user, database $db)"
  pwfile=$(mktemp)
  printf '%s' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  read -r -a extra <<<"${POSTGRES_INITDB_ARGS:-}"
  initdb --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host="$auth" "${extra[@]}" -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  # A temporary server on the unix socket only: a healthcheck over TCP cannot see it as ready.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" --dbname postgres)
  if [[ "$db" != postgres ]]; then
    "${psql[@]}" --set db="$db" <<<'CREATE DATABASE :"db";' >/dev/null
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; bash "$f" ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$db" -f "$f" >/dev/null ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "initialization done; starting the server"
fi

exec "$@"
EOF
}

write_redis() {
  local dir=$1
  cat >"$dir/Dockerfile" <<'EOF'
ARG BASE_IMAGE=garrison/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
EOF
  cat >"$dir/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
# Stand-in for the official redis image's entrypoint: arguments pass through to redis-server,
# data goes to /data (the working directory), and, as in the official image, protected mode is
# off unless asked for: the server is reachable only on the compose network.
set -Eeuo pipefail

if [[ "${1:-}" == -* || "${1:-}" == *.conf ]]; then set -- redis-server "$@"; fi
if [[ "${1:-}" == redis-server ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    find . \! -user redis -exec chown redis:redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "${BASH_SOURCE[0]}" "$@"
  fi
  if [[ " $* " != *" --protected-mode "* ]]; then set -- "$@" --protected-mode no; fi
fi
exec "$@"
EOF
}

write_caddy() {
  local dir=$1
  cat >"$dir/Dockerfile" <<'EOF'
ARG BASE_IMAGE=garrison/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends caddy ca-certificates wget \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /config/caddy /data/caddy /etc/caddy /srv
# Where the official image keeps certificates and autosaved config: mount /data to keep them.
ENV XDG_CONFIG_HOME=/config \
    XDG_DATA_HOME=/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /config /data
WORKDIR /srv
EXPOSE 80 443 443/udp 2019
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
EOF
  cat >"$dir/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
# Stand-in for the official caddy image: runs the given command (by default
# `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`); bare flags go to caddy.
set -Eeuo pipefail
if [[ "${1:-}" == -* ]]; then set -- caddy "$@"; fi
exec "$@"
EOF
}

# --- Build, skip, smoke test -------------------------------------------------------------------
recipe_of() {
  echo "$RECIPE_FILE-$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" | cut -c8-19)"
}

# up_to_date NAME: true when the image exists from this recipe, or exists without our label.
up_to_date() {
  local image=${IMAGES[$1]} existing
  docker image inspect "$image" >/dev/null 2>&1 || return 1
  existing=$(docker image inspect -f '{{index .Config.Labels "garrison.seed-recipe"}}' "$image")
  if [[ -z "$existing" || "$existing" == "<no value>" ]]; then
    log "  $image exists and was not made by this script; left alone"
    return 0
  fi
  [[ "$existing" == "$(recipe_of)" ]] && return 0
  log "  $image was seeded from an older recipe ($existing); rebuilding"
  return 1
}

build_one() {
  local name=$1 image=${IMAGES[$1]} dir="$WORK/$1" buildlog old_id
  mkdir -p "$dir"
  "write_$name" "$dir"
  chmod 755 "$dir/docker-entrypoint.sh"
  old_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  buildlog="$WORK/$name.log"
  if ! DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --label "garrison.seed-recipe=$(recipe_of)" --tag "$image" "$dir" >"$buildlog" 2>&1; then
    tail -n 40 "$buildlog" >&2
    die "building $image failed (last lines above)"
  fi
  if [[ -n "$old_id" && "$old_id" != "$(docker image inspect -f '{{.Id}}' "$image")" ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
}

smoke_postgres() {
  local c="garrison-seed-smoke-pg-$$" i ok=""
  docker run -d --rm --name "$c" -e POSTGRES_USER=smoke -e POSTGRES_PASSWORD=smoke-pass \
    -e POSTGRES_DB=smokedb "${IMAGES[postgres]}" >/dev/null
  for i in $(seq 1 60); do
    if docker exec "$c" pg_isready -q -h 127.0.0.1 -U smoke -d smokedb 2>/dev/null; then ok=1; break; fi
    sleep 0.5
  done
  # Over TCP with the password: proves scram auth and listen_addresses, not just the socket.
  if [[ -n "$ok" ]] && docker exec -e PGPASSWORD=smoke-pass "$c" \
    psql -h 127.0.0.1 -U smoke -d smokedb -tAc 'select 1' 2>/dev/null | grep -qx 1; then
    log "  $(docker exec "$c" postgres --version), init + password login over TCP ok (${i} polls)"
    docker stop "$c" >/dev/null
  else
    docker logs "$c" >&2 || true
    docker stop "$c" >/dev/null 2>&1 || true
    die "${IMAGES[postgres]} smoke test failed"
  fi
}

smoke_redis() {
  local c="garrison-seed-smoke-redis-$$" i
  docker run -d --rm --name "$c" "${IMAGES[redis]}" --appendonly yes --maxmemory-policy noeviction >/dev/null
  for i in $(seq 1 40); do
    if [[ "$(docker exec "$c" redis-cli ping 2>/dev/null)" == PONG ]]; then
      log "  $(docker exec "$c" redis-server --version | cut -d' ' -f1-3), ping ok, protected-mode $(docker exec "$c" redis-cli config get protected-mode | tail -n1)"
      docker stop "$c" >/dev/null
      return
    fi
    sleep 0.25
  done
  docker logs "$c" >&2 || true
  docker stop "$c" >/dev/null 2>&1 || true
  die "${IMAGES[redis]} smoke test failed"
}

smoke_caddy() {
  local out
  out=$(docker run --rm "${IMAGES[caddy]}" caddy version) || die "${IMAGES[caddy]} smoke test failed"
  # The compose Caddyfile must parse with this (older) caddy too.
  if [[ -f "$REPO/Caddyfile" ]]; then
    docker run --rm -v "$REPO/Caddyfile:/etc/caddy/Caddyfile:ro" "${IMAGES[caddy]}" \
      caddy adapt --config /etc/caddy/Caddyfile --adapter caddyfile >/dev/null 2>"$WORK/caddy-adapt.log" ||
      { cat "$WORK/caddy-adapt.log" >&2; die "the repository's Caddyfile does not parse with ${IMAGES[caddy]}"; }
    out="$out, Caddyfile parses"
  fi
  log "  caddy $out"
}

ensure_base() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "  $BASE_IMAGE exists"
  else
    bash "$REPO/docker/seed-base-image.sh"
  fi
}

step "base image $BASE_IMAGE" ensure_base
for name in "${WANTED[@]}"; do
  if up_to_date "$name"; then
    log "${IMAGES[$name]} up to date, skipping"
    continue
  fi
  step "build ${IMAGES[$name]}" build_one "$name"
  step "smoke test ${IMAGES[$name]}" "smoke_$name"
done

for name in "${WANTED[@]}"; do
  log "${IMAGES[$name]}: $(docker image inspect -f '{{.Size}}' "${IMAGES[$name]}" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
done
log "done in $(since "$T_START"); on this host set in .env:"
log "  POSTGRES_IMAGE=${IMAGES[postgres]} REDIS_IMAGE=${IMAGES[redis]} CADDY_IMAGE=${IMAGES[caddy]} NODE_IMAGE=$BASE_IMAGE"
