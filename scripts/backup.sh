#!/usr/bin/env bash
# Backs up a running Garrison installation (compose.yaml) into a new directory:
#
#   postgres.dump            pg_dump of the database, custom format (pg_restore reads it)
#   volumes/<name>.tgz       every workspace volume garrison-ws-* of this installation, as tar
#   volumes.tsv              name, workspace id, team id of each volume (restore recreates labels)
#   manifest.json            when, versions (Garrison, Postgres, last migration), sizes, checksums
#   SHA256SUMS               `sha256sum -c SHA256SUMS` verifies the directory
#
# Usage: scripts/backup.sh [--env-file FILE] [--project NAME] [OUT_DIR]
#   OUT_DIR defaults to ./garrison-backup-<UTC timestamp>; it must not exist yet.
# Runs while Garrison runs (pg_dump is a consistent snapshot). A volume is copied as it is at that
# moment: files a running mission writes meanwhile may be caught halfway, so prefer a quiet time.
# NOT in the backup: .env (GARRISON_SECRET_KEY opens the stored provider keys: keep a copy of
# .env somewhere safe yourself), Redis (queues and heartbeats only), Caddy's certificates.
set -euo pipefail
LOG_TAG=backup
# shellcheck source=scripts/ops/compose-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops/compose-lib.sh"

T0=$(now_ms)
OUT=${ARGS[0]:-garrison-backup-$(date -u +%Y%m%dT%H%M%SZ)}
[[ ! -e "$OUT" ]] || die "$OUT exists already; give a new directory"
docker image inspect "$HELPER_IMAGE" >/dev/null 2>&1 || die "$HELPER_IMAGE is missing (GARRISON_VERSION=$VERSION); build it: docker compose build workspace-image"
psql_in_db 'SELECT 1' >/dev/null || die "the postgres service does not answer; start it: docker compose up -d postgres"
mkdir -p "$OUT/volumes"
trap '[[ -f "$OUT/SHA256SUMS" ]] || { echo "[backup] incomplete: removing $OUT" >&2; rm -rf "$OUT"; }' EXIT

t=$(now_ms)
"${COMPOSE[@]}" exec -T postgres sh -c 'pg_dump -U "$1" -d "$2" --format=custom --no-owner' sh "$POSTGRES_USER_" "$POSTGRES_DB_" >"$OUT/postgres.dump"
# Reads the whole table of contents back: a truncated dump fails here, not on the day of the restore.
"${COMPOSE[@]}" exec -T postgres pg_restore --list <"$OUT/postgres.dump" >/dev/null || die "the dump does not read back"
log "postgres: $(du -h "$OUT/postgres.dump" | cut -f1) ($(since "$t"))"

t=$(now_ms)
: >"$OUT/volumes.tsv"
count=0
for volume in $(workspace_volumes); do
  helper tar -v "$volume:/volume:ro" "$HELPER_IMAGE" -C /volume --numeric-owner -czf - . >"$OUT/volumes/$volume.tgz"
  printf '%s\t%s\t%s\n' "$volume" \
    "$(docker volume inspect -f '{{index .Labels "dev.garrison.workspace-id"}}' "$volume")" \
    "$(docker volume inspect -f '{{index .Labels "dev.garrison.team-id"}}' "$volume")" >>"$OUT/volumes.tsv"
  count=$((count + 1))
done
log "workspace volumes: $count ($(since "$t"))"

server_version=$(psql_in_db 'SHOW server_version' | tr -d '\r')
migration=$(psql_in_db 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1' | tr -d '\r')
commit=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
(
  cd "$OUT"
  files=(postgres.dump volumes.tsv)
  for f in volumes/*.tgz; do [[ -e "$f" ]] && files+=("$f"); done
  {
    printf '{\n  "format": "garrison-backup/1",\n  "createdAt": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "garrison": { "commit": "%s", "imageTag": "%s", "installation": "%s" },\n' "$commit" "$VERSION" "$INSTALLATION"
    printf '  "postgres": { "serverVersion": "%s", "database": "%s", "lastMigration": "%s" },\n' "$server_version" "$POSTGRES_DB_" "$migration"
    printf '  "files": [\n'
    local_sep=""
    for f in "${files[@]}"; do
      printf '%s    { "path": "%s", "bytes": %s, "sha256": "%s" }' "$local_sep" "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
      local_sep=$',\n'
    done
    printf '\n  ]\n}\n'
  } >manifest.json
  sha256sum "${files[@]}" manifest.json >SHA256SUMS
)
log "wrote $OUT ($(du -sh "$OUT" | cut -f1), $(since "$T0")); copy it off this server, with your .env"
