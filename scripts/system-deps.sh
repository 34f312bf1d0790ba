#!/usr/bin/env bash
# Install the Debian packages a target needs, only when something is missing.
#   scripts/system-deps.sh run    libraries for PDF rendering (weasyprint)
#   scripts/system-deps.sh test   the above + PostgreSQL server, Chromium, poppler
set -euo pipefail
target=${1:-run}

need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "$target" = test ] || [ "$target" = bench ]; then
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v pdfinfo >/dev/null || need+=(poppler-utils)
  [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v openssl >/dev/null || need+=(openssl)
  command -v node >/dev/null || need+=(nodejs npm)
fi
if [ "$target" = bench ]; then
  command -v wrk >/dev/null || need+=(wrk)
fi

install_node_peers() {
  # The OpenID provider and axe-core the tests start (tests/node/package-lock.json).
  if [ "$target" = test ] || [ "$target" = bench ]; then
    if [ ! -f tests/node/node_modules/.package-lock.json ] || [ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ]; then
      npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
    fi
  fi
}

if [ ${#need[@]} -eq 0 ]; then install_node_peers; exit 0; fi
echo "Installing system packages: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Please install as root: apt-get install -y ${need[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
# Debian starts the services it installs; the tests start their own on loopback.
if [ "$target" = test ] || [ "$target" = bench ]; then
  for svc in nginx redis-server; do
    command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1 || true
    service "$svc" stop >/dev/null 2>&1 || true
  done
fi
install_node_peers
