#!/usr/bin/env bash
# The deployment, tested end to end as an operator runs it (INSTALL.md), on this machine:
#
#   seed base images -> build every image -> docker-compose up -> healthy -> sign in through
#   Caddy over HTTPS -> a shell mission, read through REST and through the socket via Caddy ->
#   restart api and worker (mid-mission, and again after it) -> nothing lost -> back up ->
#   down -v -> restore (an empty target; then a refused second restore) -> up -> the mission,
#   its events and its workspace files are back.
#
# Runs in its own compose project (garrison-e2e-<random>) with a generated .env in a temp dir,
# free host ports and its own installation id, so it touches neither the machine's Postgres and
# Redis nor other installations, and removes its containers, volumes and networks on any exit.
# The images (garrison/app, garrison/web and garrison/workspace, tag deploy-e2e) stay, as build cache for
# the next run. scripts/test runs this as the phase test-deploy; alone: bash scripts/deploy-e2e.sh
#
# Env: DEPLOY_E2E_LOCK=FILE   run the image builds under `flock FILE` (a shared machine)
#      DEPLOY_E2E_COLD=1      build on a fresh copy of the base image, so no cached layer applies
#                             (measures a cold run; the three images still share their stages)
#      DEPLOY_E2E_KEEP=1      leave the stack up on failure, to look at it
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
now_ms() { date +%s%3N; }
secs() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { echo "[deploy-e2e] $*"; }
die() { echo "[deploy-e2e] FAILED: $*" >&2; exit 1; }
T_START=$(now_ms)
STEPS=()
# step NAME CMD...: one timed step; its duration is listed again at the end.
step() {
  local name=$1 t0
  shift
  t0=$(now_ms)
  log "--> $name"
  "$@"
  STEPS+=("$(printf '%-28s %s' "$name" "$(secs "$t0")")")
  log "<-- $name $(secs "$t0")"
}

command -v docker-compose >/dev/null || die "docker-compose (Compose v1) is not installed: apt-get install docker-compose (scripts/ensure-services.sh does)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer"

SUFFIX=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
PROJECT="garrison-e2e-$SUFFIX"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/garrison-deploy-e2e.XXXXXX")
ENV_FILE="$WORK/.env"
TAG=deploy-e2e
COMPOSE=(docker-compose --project-directory "$REPO" -f "$REPO/compose.yaml" --env-file "$ENV_FILE" -p "$PROJECT")
CLIENT=(node "$REPO/scripts/deploy-e2e/client.mjs")

teardown() {
  local rc=$?
  if ((rc != 0)) && [[ "${DEPLOY_E2E_KEEP:-0}" == 1 ]]; then
    log "kept for inspection: ${COMPOSE[*]}"
    return
  fi
  if ((rc != 0)) && [[ -f "$ENV_FILE" ]]; then
    "${COMPOSE[@]}" ps >&2 2>/dev/null || true
    "${COMPOSE[@]}" logs --tail=40 migrate api worker >&2 2>/dev/null || true
  fi
  log "teardown of $PROJECT"
  [[ ! -f "$ENV_FILE" ]] || "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  remove_workspaces
  rm -rf "$WORK"
}
trap teardown EXIT

# Workspace containers, volumes and networks are the worker's, not compose's: labelled with the
# installation id, which is this run's project name.
remove_workspaces() {
  local filter="label=dev.garrison.installation=$PROJECT"
  docker ps -aq --filter "$filter" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker volume ls -q --filter "$filter" | xargs -r docker volume rm >/dev/null 2>&1 || true
  docker network ls -q --filter "$filter" | xargs -r docker network rm >/dev/null 2>&1 || true
}

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
random_b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }

write_env() {
  HTTPS_PORT=$(free_port)
  HTTP_PORT=$(free_port)
  ADMIN_EMAIL="admin-$SUFFIX@deploy-e2e.test"
  ADMIN_PASSWORD="pw-$(random_b64 12 | tr -dc 'A-Za-z0-9')"
  METRICS_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  cat >"$ENV_FILE" <<ENV
COMPOSE_PROJECT_NAME=$PROJECT
POSTGRES_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
GARRISON_SECRET_KEY=$(random_b64 32)
GARRISON_ADMIN_EMAIL=$ADMIN_EMAIL
GARRISON_ADMIN_PASSWORD=$ADMIN_PASSWORD
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
DOMAIN=localhost
CADDY_TLS=internal
HTTP_PORT=$HTTP_PORT
HTTPS_PORT=$HTTPS_PORT
GATEWAY_BIND=127.0.0.1
GATEWAY_PORT=$(free_port)
GARRISON_VERSION=$TAG
GARRISON_INSTALLATION_ID=$PROJECT
METRICS_TOKEN=$METRICS_TOKEN
NODE_IMAGE=garrison/base:bookworm
POSTGRES_IMAGE=garrison/postgres:15
REDIS_IMAGE=garrison/redis:7
CADDY_IMAGE=garrison/caddy:2
# A restarted worker takes over its missions after the lock runs out: keep the test short.
QUEUE_LOCK_MS=5000
QUEUE_STALLED_INTERVAL_MS=2000
LOG_LEVEL=info
ENV
  chmod 600 "$ENV_FILE"
  BASE="https://localhost:$HTTPS_PORT"
  log "project $PROJECT, https port $HTTPS_PORT, env $ENV_FILE"
}

seed() {
  bash docker/seed-base-image.sh
  bash docker/seed-service-images.sh
}

# api, worker, gateway and migrate share garrison/app:<tag>: building it once (as migrate's) is
# enough, and `up` finds it. Building it per service would send the context four more times.
build() {
  local args=(build migrate web workspace-image)
  if [[ -n "${DEPLOY_E2E_LOCK:-}" ]]; then
    flock "$DEPLOY_E2E_LOCK" "${COMPOSE[@]}" "${args[@]}"
  else
    "${COMPOSE[@]}" "${args[@]}"
  fi
}

# wait_healthy: every long-running service healthy, the one-shots exited 0.
wait_healthy() {
  local deadline=$(($(date +%s) + ${1:-300})) bad
  while :; do
    bad=$(
      for id in $("${COMPOSE[@]}" ps -q); do
        docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$id"
      done | awk '($1 == "migrate" || $1 == "workspace-image") { if ($2 != "exited" || $4 != 0) print; next } $3 != "healthy" { print }'
    )
    [[ -n "$bad" ]] || return 0
    if (($(date +%s) >= deadline)); then
      echo "$bad" >&2
      die "not healthy within ${1:-300} s"
    fi
    sleep 1
  done
}

up() {
  "${COMPOSE[@]}" up -d
  wait_healthy 300
  local services
  services=$("${COMPOSE[@]}" ps --services | sort | tr '\n' ' ')
  [[ "$services" == "api caddy gateway migrate postgres redis web worker workspace-image " ]] || die "unexpected services: $services"
}

trust_caddy() {
  "${COMPOSE[@]}" exec -T caddy cat /data/caddy/pki/authorities/local/root.crt >"$WORK/caddy-root.crt"
  export NODE_EXTRA_CA_CERTS="$WORK/caddy-root.crt"
}

curl_caddy() { curl -sS --cacert "$WORK/caddy-root.crt" "$@"; }

check_edge() {
  local health headers
  health=$(curl_caddy "$BASE/api/v1/health")
  [[ "$health" == '{"ok":true,"db":"ok","redis":"ok","docker":"ok"}' ]] || die "health through Caddy: $health"
  [[ "$(curl_caddy -o /dev/null -w '%{http_code}' "$BASE/api/v1/ready")" == 200 ]] || die "/api/v1/ready is not 200"
  headers=$(curl_caddy -D - -o /dev/null "$BASE/login")
  grep -qi '^x-content-type-options: nosniff' <<<"$headers" || die "no X-Content-Type-Options from Caddy"
  grep -qi '^x-frame-options: DENY' <<<"$headers" || die "no X-Frame-Options from Caddy"
  grep -qi '^HTTP/[0-9.]* 200' <<<"$headers" || die "the dashboard's /login is not 200 through Caddy"
  # /metrics stays internal: through Caddy it is the dashboard's 404, not the api's text.
  [[ "$(curl_caddy -o /dev/null -w '%{http_code}' "$BASE/metrics")" == 404 ]] || die "/metrics is reachable through Caddy"
  # Plain HTTP answers with a redirect to HTTPS.
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$HTTP_PORT/")" =~ ^30[178]$ ]] || die "http:// does not redirect to https://"
  log "health, readiness, security headers, /metrics hidden, http->https: ok"
}

PROMPT='for i in $(seq 1 40); do echo line-$i; sleep 0.25; done; echo kept-by-the-backup > proof.txt'
run_mission() {
  TOKEN=$("${CLIENT[@]}" "$BASE" login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
  local ids
  ids=$("${CLIENT[@]}" "$BASE" start "$TOKEN" "$PROMPT")
  MISSION=$(node -e 'console.log(JSON.parse(process.argv[1]).missionId)' "$ids")
  WORKSPACE=$(node -e 'console.log(JSON.parse(process.argv[1]).workspaceId)' "$ids")
  log "mission $MISSION in workspace $WORKSPACE"
  "${CLIENT[@]}" "$BASE" wait "$TOKEN" "$MISSION" running >/dev/null
}

restart_mid_mission() {
  # Proof the restart cuts into the mission: not all of its output is stored yet.
  local before
  before=$("${CLIENT[@]}" "$BASE" events "$TOKEN" "$MISSION")
  log "before the restart: $before"
  node -e 'process.exit(JSON.parse(process.argv[1]).stdoutLines < 40 ? 0 : 1)' "$before" || die "the mission ended before the restart began"
  "${COMPOSE[@]}" restart api worker
  wait_healthy 180
  "${CLIENT[@]}" "$BASE" wait "$TOKEN" "$MISSION" completed >/dev/null
  REST=$("${CLIENT[@]}" "$BASE" events "$TOKEN" "$MISSION")
  SOCKET=$("${CLIENT[@]}" "$BASE" socket "$TOKEN" "$MISSION")
  log "rest:   $REST"
  log "socket: $SOCKET"
  node -e '
    const rest = JSON.parse(process.argv[1]), socket = JSON.parse(process.argv[2]);
    const problems = [];
    if (!rest.contiguous) problems.push("seqs have gaps or repeats");
    if (rest.stdoutLines !== 40 || rest.distinctStdoutLines !== 40) problems.push(`${rest.distinctStdoutLines}/${rest.stdoutLines} of 40 output lines`);
    if (socket.sha256 !== rest.sha256 || socket.count !== rest.count) problems.push("the socket delivered other events than REST holds");
    if (socket.transport !== "websocket") problems.push(`socket transport ${socket.transport}`);
    if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
  ' "$REST" "$SOCKET" || die "events after the mid-mission restart"
}

restart_after() {
  "${COMPOSE[@]}" restart api worker
  wait_healthy 180
  local again
  again=$("${CLIENT[@]}" "$BASE" events "$TOKEN" "$MISSION")
  [[ "$again" == "$REST" ]] || die "events changed across a restart: $again"
  [[ "$("${CLIENT[@]}" "$BASE" wait "$TOKEN" "$MISSION" completed)" == completed ]] || die "mission not completed after the restart"
}

check_metrics() {
  local text
  text=$("${COMPOSE[@]}" exec -T api node -e '
    fetch("http://127.0.0.1:3001/metrics", { headers: { authorization: `Bearer ${process.env.METRICS_TOKEN}` } })
      .then(async (res) => { if (!res.ok) throw new Error(String(res.status)); console.log(await res.text()); })
      .catch((error) => { console.error(error.message); process.exit(1); });')
  local stored latency
  stored=$(awk '$1 == "garrison_events_stored_total" { print $2 }' <<<"$text")
  latency=$(awk '$1 == "garrison_dispatch_latency_seconds_count" { print $2 }' <<<"$text")
  local count
  count=$(node -e 'console.log(JSON.parse(process.argv[1]).count)' "$REST")
  ((${stored:-0} >= count)) || die "garrison_events_stored_total=$stored, fewer than the mission's $count events"
  ((${latency:-0} >= 1)) || die "garrison_dispatch_latency_seconds_count=$latency"
  grep -q '^garrison_queue_jobs{queue="missions",state="waiting"} ' <<<"$text" || die "no queue depth in /metrics"
  grep -q '^garrison_containers{host="garrison-worker",kind="workspaces_running"} ' <<<"$text" || die "no container counts in /metrics"
  log "metrics: events stored $stored, dispatch latency count $latency"
}

backup() { bash scripts/backup.sh --env-file "$ENV_FILE" --project "$PROJECT" "$WORK/backup"; }

destroy() {
  "${COMPOSE[@]}" down -v
  remove_workspaces
  [[ -z "$(docker volume ls -q --filter "label=dev.garrison.installation=$PROJECT")" ]] || die "workspace volumes survived the destroy"
}

restore() {
  bash scripts/restore.sh --env-file "$ENV_FILE" --project "$PROJECT" "$WORK/backup"
  # A second restore must refuse: the target is no longer empty.
  if bash scripts/restore.sh --env-file "$ENV_FILE" --project "$PROJECT" "$WORK/backup" 2>"$WORK/refused.log"; then
    die "restore overwrote a non-empty target without --force"
  fi
  grep -q 'not empty' "$WORK/refused.log" || { cat "$WORK/refused.log" >&2; die "restore failed for another reason than a non-empty target"; }
}

check_restored() {
  # The API token was issued before the backup: it opens the restored database.
  [[ "$("${CLIENT[@]}" "$BASE" wait "$TOKEN" "$MISSION" completed)" == completed ]] || die "mission not found after restore"
  local after socket
  after=$("${CLIENT[@]}" "$BASE" events "$TOKEN" "$MISSION")
  [[ "$after" == "$REST" ]] || die "events differ after restore: $after"
  socket=$("${CLIENT[@]}" "$BASE" socket "$TOKEN" "$MISSION")
  [[ "$(node -e 'console.log(JSON.parse(process.argv[1]).sha256)' "$socket")" == "$(node -e 'console.log(JSON.parse(process.argv[1]).sha256)' "$REST")" ]] || die "socket events differ after restore"
  local volume="garrison-ws-$WORKSPACE"
  docker run --rm --network none --entrypoint sh -v "$volume:/volume:ro" "garrison/workspace:$TAG" -c 'grep -rqx kept-by-the-backup /volume' ||
    die "proof.txt is not in the restored volume $volume"
  log "after restore: mission completed, $(node -e 'console.log(JSON.parse(process.argv[1]).count)' "$after") events identical, workspace file back"
}

image_sizes() {
  local image
  for image in "garrison/app:$TAG" "garrison/web:$TAG" "garrison/workspace:$TAG" garrison/base:bookworm garrison/postgres:15 garrison/redis:7 garrison/caddy:2; do
    printf '[deploy-e2e] image %-30s %6d MB\n' "$image" $(($(docker image inspect -f '{{.Size}}' "$image") / 1000000))
  done
}

# A base image with a new id: the layer cache is keyed by parent id, so nothing cached matches.
cold_base() {
  printf 'FROM garrison/base:bookworm\nLABEL dev.garrison.deploy-e2e.cold=%s\n' "$SUFFIX" |
    docker build -q -t garrison/base:deploy-e2e-cold - >/dev/null
  sed -i 's#^NODE_IMAGE=.*#NODE_IMAGE=garrison/base:deploy-e2e-cold#' "$ENV_FILE"
}

step write-env write_env
step seed-images seed
[[ "${DEPLOY_E2E_COLD:-0}" != 1 ]] || step cold-base cold_base
step build-images build
t_up=$(now_ms)
step up-to-healthy up
UP_TO_HEALTHY=$(secs "$t_up")
step trust-caddy trust_caddy
step check-edge check_edge
step mission-started run_mission
step restart-mid-mission restart_mid_mission
step restart-after restart_after
step metrics check_metrics
step backup backup
step destroy destroy
step restore restore
t_up=$(now_ms)
step up-after-restore up
UP_AFTER_RESTORE=$(secs "$t_up")
# down -v took Caddy's data volume, and with it its local CA: a new root to trust.
step trust-caddy-again trust_caddy
step check-restored check_restored
image_sizes
log "durations:"
printf '[deploy-e2e]   %s\n' "${STEPS[@]}"
log "up -> healthy: $UP_TO_HEALTHY (first), $UP_AFTER_RESTORE (after restore)"
log "passed in $(secs "$T_START")"
