#!/usr/bin/env bash
# setup-system.sh — the system packages the tests need, installed when possible (the first tier of
# `npm test`; .ci/run gets them through npm test too). One list, one place:
#   chromium     the browser the e2e and extension-host tests drive (playwright-core + Debian's chromium)
#   ripgrep      code-server's search (install-code-server.sh links Debian's rg into it)
#   libkrb5-dev g++ make python3   code-server's native modules (kerberos, node-pty, ...) build from source
# All present: exits 0 at once. Missing and running as root with apt-get: `apt-get update` once, then
# `apt-get install` of exactly the missing ones. Otherwise: exit 1 with the one command to run.
#
# Environment:
#   CHIMERAFORGE_SYSTEM_PACKAGES   the list to check instead of the one above (space separated)
#   CHIMERAFORGE_SETUP_DRY_RUN=1   print the apt-get commands instead of running them
#   CHIMERAFORGE_SETUP_ASSUME_MISSING   packages to treat as missing although installed (with the dry run:
#                                  shows what a fresh machine would get without touching this one)
set -euo pipefail

PACKAGES=(${CHIMERAFORGE_SYSTEM_PACKAGES:-chromium ripgrep libkrb5-dev g++ make python3})
ASSUME_MISSING=" ${CHIMERAFORGE_SETUP_ASSUME_MISSING:-} "
DRY_RUN="${CHIMERAFORGE_SETUP_DRY_RUN:-0}"

# What each package provides, for machines without dpkg (checked by command or file instead).
provides() {
  case "$1" in
    chromium) echo "command:${CHROMIUM:-chromium}" ;;
    ripgrep) echo "command:rg" ;;
    libkrb5-dev) echo "file:/usr/include/krb5.h" ;;
    *) echo "command:$1" ;;
  esac
}

present() {  # present PACKAGE [installed-only]: the second argument ignores ASSUME_MISSING
  local p="$1"
  [ -z "${2:-}" ] && [[ "$ASSUME_MISSING" == *" $p "* ]] && return 1
  if command -v dpkg-query >/dev/null; then
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ]
    return
  fi
  local what
  what="$(provides "$p")"
  case "$what" in
    command:*) command -v "${what#command:}" >/dev/null ;;
    file:*) [ -e "${what#file:}" ] ;;
  esac
}

missing=()
for p in "${PACKAGES[@]}"; do
  present "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all present (${PACKAGES[*]})"
  exit 0
fi

echo "setup-system: missing: ${missing[*]}"
UPDATE=(apt-get update -q)
INSTALL=(apt-get install -y -q --no-install-recommends "${missing[@]}")

if [ "$DRY_RUN" = "1" ]; then
  echo "setup-system: dry run, would run as root: ${UPDATE[*]}"
  echo "setup-system: dry run, would run as root: ${INSTALL[*]}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  if command -v apt-get >/dev/null; then
    why="not running as root"
    cmd="sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends ${missing[*]}'"
  else
    why="no apt-get on this machine"
    cmd="install ${missing[*]} with your system's package manager (Debian names)"
  fi
  echo "setup-system: cannot install them ($why). Run this, then npm test again:" >&2
  echo "  $cmd" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${UPDATE[@]}"
"${INSTALL[@]}"

still=()
for p in "${missing[@]}"; do
  present "$p" installed-only || still+=("$p")
done
if [ "${#still[@]}" -gt 0 ]; then
  echo "setup-system: apt-get finished but these are still not installed: ${still[*]}" >&2
  exit 1
fi
echo "setup-system: installed ${missing[*]}"
