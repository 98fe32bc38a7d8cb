#!/usr/bin/env bash
# install-code-server.sh [DEST] — code-server from npm, with no network beyond the npm registry.
# The integration and e2e tiers run the extension inside this code-server (the only VS Code that can run
# here: VS Code desktop and @vscode/test-web download from elsewhere). Recipe: TESTING.md §2.
# Idempotent: DEST/.chimeraforge-installed holds the version; a matching marker skips the install.
set -euo pipefail

CS_VERSION="${CS_VERSION:-4.100.3}"
DEST="${1:-${CHIMERAFORGE_CODE_SERVER_DIR:-$HOME/.cache/chimeraforge/code-server-$CS_VERSION}}"
MARKER="$DEST/.chimeraforge-installed"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$CS_VERSION" ] && [ -f "$ENTRY" ]; then
  echo "code-server $CS_VERSION already installed in $DEST"
  exit 0
fi

# What the install needs, each named with the Debian package that provides it. scripts/setup-system.sh
# (the first tier of npm test) installs them as root.
need=()
pkgs=()
for pair in rg:ripgrep g++:g++ make:make python3:python3 node:nodejs npm:npm; do
  command -v "${pair%%:*}" >/dev/null || { need+=("'${pair%%:*}' (package ${pair#*:})"); pkgs+=("${pair#*:}"); }
done
[ -e /usr/include/krb5.h ] || { need+=("/usr/include/krb5.h (package libkrb5-dev)"); pkgs+=(libkrb5-dev); }
if [ "${#need[@]}" -gt 0 ]; then
  echo "install-code-server: missing ${need[*]}." >&2
  echo "  As root, 'bash scripts/setup-system.sh' installs them; otherwise: sudo apt-get install -y ${pkgs[*]}" >&2
  exit 1
fi
# A failing step says which one, so the npm output above it can be read for the cause.
fail() { echo "install-code-server: $1 failed (see the npm output above); $2" >&2; exit 1; }

started=$(date +%s)
echo "installing code-server $CS_VERSION into $DEST"
rm -f "$MARKER"
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || npm init -y >/dev/null

export npm_config_nodedir="${NODEDIR:-/usr}"  # node headers from /usr/include/node: no header download
export npm_config_yes=true                     # node-pty's install runs `npx node-gyp`; no TTY in CI

export npm_config_update_notifier=false

npm install --no-audit --no-fund --ignore-scripts --save-exact "code-server@$CS_VERSION" \
  || fail "npm install code-server@$CS_VERSION" "the npm registry must be reachable"
# argon2 is hoisted to DEST: rebuild it here (its prebuilt download from GitHub fails; builds from source).
npm rebuild argon2 --foreground-scripts || fail "building argon2 from source" "it needs g++, make and python3"

cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts || fail "npm install in lib/vscode" "the npm registry must be reachable"
# @vscode/ripgrep's postinstall downloads from GitHub and exits early when bin/ exists: use Debian's rg.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# node-pty, spdlog, native-watchdog, kerberos, ...
npm rebuild --foreground-scripts || fail "building code-server's native modules (node-pty, kerberos, spdlog)" "they need g++, make, python3 and libkrb5-dev"
# The rest mirrors code-server's own postinstall.sh.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
cd extensions
npm install --no-audit --no-fund --omit=dev --foreground-scripts || fail "npm install of the built-in extensions" "the npm registry must be reachable"

[ -f "$ENTRY" ] || { echo "install-code-server: $ENTRY missing after install" >&2; exit 1; }
echo "$CS_VERSION" > "$MARKER"
echo "code-server $CS_VERSION installed in $DEST in $(( $(date +%s) - started )) s"
