#!/usr/bin/env bash
# Makes sure everything the test suite talks to is installed and answering, on a Debian 12
# machine without systemd: the Docker engine (and docker-compose), PostgreSQL on 127.0.0.1:5432, Redis on
# 127.0.0.1:6379, Chromium at /usr/bin/chromium, and the databases garrison and garrison_test.
#
# Anything already running is reused as it is: a running service is never restarted. Packages
# are installed only when missing, with a single `apt-get update` first. Needs root only when
# it has something to install or start.
#
# Env: GARRISON_SERVICE_TIMEOUT (seconds to wait for a service to answer, default 60).
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
CHROMIUM=/usr/bin/chromium
DATABASES=(garrison garrison_test)
TIMEOUT="${GARRISON_SERVICE_TIMEOUT:-60}"

now_ms() { date +%s%3N; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { echo "[ensure-services] $*"; }
die() { echo "[ensure-services] error: $*" >&2; exit 1; }
need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root to $1"; }

# wait_for CMD...: polls CMD until it succeeds; the timeout is a failure bound only.
wait_for() {
  local deadline=$(($(date +%s) + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || return 1
    sleep 0.2
  done
}

# --- Probes (no side effects) -------------------------------------------------------------------
docker_up() { docker info >/dev/null 2>&1; }
# Plain TCP probes through bash's /dev/tcp, so they work before any client package is installed.
tcp_open() { (exec 2>/dev/null 3<>"/dev/tcp/$1/$2"); }
redis_up() (
  local reply=""
  exec 2>/dev/null 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" || exit 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  [[ "$reply" == +PONG* ]]
)
# -w: never prompt for a password (CI has no terminal); a refusal is an answer too.
pg_sql() { psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
# As the postgres OS user over the Unix socket (peer auth), for fixing TCP authentication.
pg_local_sql() { (cd / && runuser -u postgres -- psql -w -p "$PG_PORT" -d postgres -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"); }
pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

# --- Phase 1: packages ----------------------------------------------------------------------
# Decide everything that is missing first, so a fresh machine pays for one `apt-get update`.
phase_packages() {
  local t0 with_recommends=() without_recommends=()
  t0=$(now_ms)
  # Debian's docker.io, with its recommends as verified on these machines (apparmor: dockerd needs
  # apparmor_parser wherever the kernel has AppArmor enabled). debootstrap seeds the base image.
  command -v dockerd >/dev/null || with_recommends+=(docker.io)
  command -v debootstrap >/dev/null || without_recommends+=(debootstrap)
  # Compose v1 (Debian 12 has no v2 plugin): the deploy test (scripts/deploy-e2e.sh) runs compose.yaml with it.
  command -v docker-compose >/dev/null || without_recommends+=(docker-compose)
  # The deploy test also reaches Caddy over HTTPS with curl.
  command -v curl >/dev/null || without_recommends+=(curl)
  if ! tcp_open "$PG_HOST" "$PG_PORT" && ! command -v pg_ctlcluster >/dev/null; then
    without_recommends+=(postgresql)
  fi
  command -v psql >/dev/null || without_recommends+=(postgresql-client)
  if ! redis_up && ! command -v redis-server >/dev/null; then without_recommends+=(redis-server); fi
  # Headless Chromium needs none of its recommends but a font with standard metrics.
  [[ -x "$CHROMIUM" ]] || without_recommends+=(chromium fonts-liberation)

  if ((${#with_recommends[@]} + ${#without_recommends[@]} == 0)); then
    log "packages: all present ($(since "$t0"))"
    return
  fi
  need_root "install ${with_recommends[*]} ${without_recommends[*]}"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a
  apt-get update -qq
  if ((${#with_recommends[@]})); then apt-get install -y -qq "${with_recommends[@]}" >/dev/null; fi
  if ((${#without_recommends[@]})); then
    apt-get install -y -qq --no-install-recommends "${without_recommends[@]}" >/dev/null
  fi
  log "packages: installed ${with_recommends[*]} ${without_recommends[*]} ($(since "$t0"))"
}

# --- Phase 2: Docker engine ---------------------------------------------------------------------
phase_docker() {
  local t0
  t0=$(now_ms)
  if docker_up; then
    log "docker: running, reused ($(since "$t0"))"
    return
  fi
  # A dockerd that is still starting up must not get a twin (they would fight over the pid file).
  if ! pgrep -x dockerd >/dev/null; then
    need_root "start dockerd"
    # No systemd: start it in its own session so it outlives this script and the CI job's shell.
    setsid -f dockerd >>/var/log/dockerd.log 2>&1 </dev/null
  fi
  if ! wait_for docker_up; then
    tail -n 20 /var/log/dockerd.log >&2 || true
    die "dockerd did not answer 'docker info' within ${TIMEOUT}s (log: /var/log/dockerd.log)"
  fi
  log "docker: started ($(since "$t0"))"
}

# --- Phase 3: PostgreSQL ------------------------------------------------------------------------
start_postgres() {
  need_root "start PostgreSQL"
  local version name
  # The cluster that owns port 5432, whatever its version; create one if the package made none.
  read -r version name < <(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1, $2; exit }') || true
  if [[ -z "${version:-}" ]]; then
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
    name=main
    pg_createcluster --port "$PG_PORT" "$version" "$name" >/dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
}

# Tests connect as postgres over TCP without a password (DATABASE_URL has none). Debian's
# default pg_hba.conf asks for one on 127.0.0.1, so allow trust for that one user on loopback only.
allow_loopback_trust() {
  need_root "configure PostgreSQL authentication"
  local hba
  hba=$(pg_local_sql 'SHOW hba_file')
  [[ -f "$hba" ]] || die "cannot find pg_hba.conf (got '$hba')"
  if ! grep -q '# garrison: loopback trust' "$hba"; then
    # Rules are matched top-down, so these go first.
    sed -i '1i # garrison: loopback trust for the test suite (scripts/ensure-services.sh)\nhost all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  # A reload, not a restart: open connections are untouched.
  pg_local_sql 'SELECT pg_reload_conf()' >/dev/null
  log "postgres: added loopback trust for user postgres to $hba"
}

phase_postgres() {
  local t0 state="running, reused"
  t0=$(now_ms)
  if ! pg_up; then
    start_postgres
    wait_for pg_up || die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${TIMEOUT}s"
    state=started
  fi
  if ! pg_sql 'SELECT 1' >/dev/null 2>&1; then
    allow_loopback_trust
    pg_sql 'SELECT 1' >/dev/null || die "cannot connect to PostgreSQL as postgres on $PG_HOST:$PG_PORT"
  fi
  log "postgres: $state ($(since "$t0"))"
}

# --- Phase 4: Redis -----------------------------------------------------------------------------
phase_redis() {
  local t0 args
  t0=$(now_ms)
  if redis_up; then
    log "redis: running, reused ($(since "$t0"))"
    return
  fi
  need_root "start Redis"
  # An ephemeral cache for tests: nothing is persisted.
  args=(--daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no)
  [[ ! -d /var/lib/redis ]] || args+=(--dir /var/lib/redis)
  [[ ! -d /var/log/redis ]] || args+=(--logfile /var/log/redis/garrison.log)
  redis-server "${args[@]}"
  wait_for redis_up || die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within ${TIMEOUT}s"
  log "redis: started ($(since "$t0"))"
}

# --- Phase 5: Chromium --------------------------------------------------------------------------
phase_chromium() {
  local t0
  t0=$(now_ms)
  [[ -x "$CHROMIUM" ]] || die "$CHROMIUM missing after install"
  log "chromium: $CHROMIUM present ($(since "$t0"))"
}

# --- Phase 6: databases -------------------------------------------------------------------------
phase_databases() {
  local t0 db created=()
  t0=$(now_ms)
  for db in "${DATABASES[@]}"; do
    if [[ -z "$(pg_sql "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      pg_sql "CREATE DATABASE \"$db\"" >/dev/null
      created+=("$db")
    fi
  done
  if ((${#created[@]})); then
    log "databases: created ${created[*]} ($(since "$t0"))"
  else
    log "databases: ${DATABASES[*]} exist ($(since "$t0"))"
  fi
}

T_START=$(now_ms)
phase_packages
phase_docker
phase_postgres
phase_redis
phase_chromium
phase_databases
log "all services ready ($(since "$T_START"))"
