# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): finds Compose (v2
# plugin or v1.29), reads the options both scripts take, and reads values from the env file
# the way Compose does (the shell's environment wins over the file).
#
#   --env-file FILE   default: .env next to compose.yaml
#   --project NAME    default: COMPOSE_PROJECT_NAME from the environment or the env file
# Sets: REPO, ENV_FILE, COMPOSE (array), ARGS (the remaining arguments).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENV_FILE="$REPO/.env"
PROJECT=""
FORCE=0
ARGS=()

log() { echo "[$LOG_TAG] $*"; }
die() { echo "[$LOG_TAG] error: $*" >&2; exit 1; }

while (($#)); do
  case "$1" in
    --env-file) ENV_FILE=${2:?--env-file needs a file}; shift 2 ;;
    --project | -p) PROJECT=${2:?--project needs a name}; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//; /^set -euo/d'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ -f "$ENV_FILE" ]] || die "no env file at $ENV_FILE (give one with --env-file)"
ENV_FILE=$(cd "$(dirname "$ENV_FILE")" && pwd)/$(basename "$ENV_FILE")

# env_value NAME DEFAULT: the environment's value, else the env file's last NAME=..., else DEFAULT.
env_value() {
  local name=$1 fallback=${2:-} line
  if [[ -n "${!name:-}" ]]; then printf '%s' "${!name}"; return; fi
  line=$(grep -E "^[[:space:]]*${name}=" "$ENV_FILE" | tail -n1 || true)
  line=${line#*=}
  line=${line%$'\r'}
  if [[ -n "$line" ]]; then printf '%s' "$line"; else printf '%s' "$fallback"; fi
}

PROJECT=${PROJECT:-$(env_value COMPOSE_PROJECT_NAME "")}
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
  COMPOSE=(docker-compose)
else
  die "neither 'docker compose' nor 'docker-compose' is installed"
fi
COMPOSE+=(--project-directory "$REPO" -f "$REPO/compose.yaml" --env-file "$ENV_FILE")
[[ -z "$PROJECT" ]] || COMPOSE+=(-p "$PROJECT")

POSTGRES_USER_=$(env_value POSTGRES_USER garrison)
POSTGRES_DB_=$(env_value POSTGRES_DB garrison)
INSTALLATION=$(env_value GARRISON_INSTALLATION_ID garrison)
VERSION=$(env_value GARRISON_VERSION dev)
# Tars workspace volumes: the workspace image exists wherever compose built Garrison.
HELPER_IMAGE="garrison/workspace:$VERSION"

# psql_in_db SQL: one value from the running postgres service.
psql_in_db() {
  "${COMPOSE[@]}" exec -T postgres psql -X -A -t -q -v ON_ERROR_STOP=1 -U "$POSTGRES_USER_" -d "${2:-$POSTGRES_DB_}" -c "$1"
}

# The workspace volumes of this installation (labels set by the worker), by name.
workspace_volumes() {
  docker volume ls -q --filter label=dev.garrison.managed=true --filter "label=dev.garrison.installation=$INSTALLATION" | grep -E '^garrison-ws-' | sort || true
}

# helper ARGS...: a throwaway root container on no network, from the workspace image, labelled.
helper() {
  docker run --rm -i --network none --user 0:0 --label dev.garrison.role=backup-helper --entrypoint "$1" "${@:2}"
}

now_ms() { date +%s%3N; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
