#!/usr/bin/env bash
# Restores a directory made by scripts/backup.sh into this installation (compose.yaml):
# the database from postgres.dump, and each workspace volume from volumes/<name>.tgz.
#
# Usage: scripts/restore.sh [--env-file FILE] [--project NAME] [--force] BACKUP_DIR
#
# Refuses, before changing anything, when the database already has tables or a workspace volume
# it would write already holds files; --force replaces them (the database is dropped and made
# anew, the volumes are emptied first). Checks SHA256SUMS first. Starts the postgres service if
# needed and stops api, worker, gateway, web and caddy; start everything again afterwards with
# `docker compose up -d`. Needs the images built (docker compose build) and the .env of the
# installation the backup came from (GARRISON_SECRET_KEY opens the stored provider keys).
set -euo pipefail
LOG_TAG=restore
# shellcheck source=scripts/ops/compose-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops/compose-lib.sh"

T0=$(now_ms)
DIR=${ARGS[0]:-}
[[ -n "$DIR" && -d "$DIR" ]] || die "give the backup directory (made by scripts/backup.sh)"
DIR=$(cd "$DIR" && pwd)
[[ -f "$DIR/SHA256SUMS" && -f "$DIR/postgres.dump" ]] || die "$DIR is not a Garrison backup (no SHA256SUMS or postgres.dump)"
(cd "$DIR" && sha256sum -c --quiet SHA256SUMS) || die "checksums do not match: the backup is damaged"
log "checksums ok"
docker image inspect "$HELPER_IMAGE" >/dev/null 2>&1 || die "$HELPER_IMAGE is missing (GARRISON_VERSION=$VERSION); build the images first: docker compose build"

# --- Check every target before touching any ----------------------------------------------------
"${COMPOSE[@]}" up -d postgres >/dev/null
deadline=$(($(date +%s) + 120))
until psql_in_db 'SELECT 1' postgres >/dev/null 2>&1; do
  (($(date +%s) < deadline)) || die "postgres did not answer within 120 s: docker compose logs postgres"
  sleep 1
done

tables=0
if [[ -n "$(psql_in_db "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB_'" postgres)" ]]; then
  tables=$(psql_in_db "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')" | tr -d '\r')
fi
problems=()
((tables == 0)) || problems+=("database $POSTGRES_DB_ has $tables tables")
mapfile -t volumes < <(cut -f1 "$DIR/volumes.tsv")
for volume in "${volumes[@]}"; do
  [[ "$volume" =~ ^garrison-ws-[A-Za-z0-9_.-]+$ ]] || die "unexpected volume name '$volume' in volumes.tsv"
  if docker volume inspect "$volume" >/dev/null 2>&1 &&
    ! helper sh -v "$volume:/volume:ro" "$HELPER_IMAGE" -c '[ -z "$(ls -A /volume)" ]'; then
    problems+=("volume $volume holds files")
  fi
done
if ((${#problems[@]})); then
  if ((FORCE == 0)); then
    printf '[restore]   %s\n' "${problems[@]}" >&2
    die "the target is not empty; nothing was changed. Restore over it with --force (it replaces the above)."
  fi
  log "--force: replacing ${problems[*]}"
fi

# --- Restore ---------------------------------------------------------------------------------
"${COMPOSE[@]}" stop api worker gateway web caddy >/dev/null 2>&1 || true
t=$(now_ms)
psql_in_db "DROP DATABASE IF EXISTS \"$POSTGRES_DB_\" WITH (FORCE)" postgres
psql_in_db "CREATE DATABASE \"$POSTGRES_DB_\" OWNER \"$POSTGRES_USER_\"" postgres
"${COMPOSE[@]}" exec -T postgres pg_restore -U "$POSTGRES_USER_" -d "$POSTGRES_DB_" --no-owner --exit-on-error <"$DIR/postgres.dump"
log "postgres: restored $(psql_in_db 'SELECT count(*) FROM "Mission"' | tr -d '\r') missions ($(since "$t"))"

t=$(now_ms)
while IFS=$'\t' read -r volume workspace team; do
  [[ -n "$volume" ]] || continue
  if docker volume inspect "$volume" >/dev/null 2>&1; then
    helper find -v "$volume:/volume" "$HELPER_IMAGE" /volume -mindepth 1 -delete
  else
    docker volume create --label dev.garrison.managed=true --label "dev.garrison.installation=$INSTALLATION" \
      --label "dev.garrison.workspace-id=$workspace" --label "dev.garrison.team-id=$team" "$volume" >/dev/null
  fi
  helper tar -v "$volume:/volume" "$HELPER_IMAGE" -C /volume --numeric-owner -xzpf - <"$DIR/volumes/$volume.tgz"
done <"$DIR/volumes.tsv"
log "workspace volumes: ${#volumes[@]} restored ($(since "$t"))"
log "done in $(since "$T0"); start Garrison: docker compose up -d (Compose v1: docker-compose up -d)"
