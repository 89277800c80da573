#!/usr/bin/env bash
# Install the Debian packages SatuPintu needs, only when they are missing.
#   postgresql     the test suite's database (started per run by scripts/pgcluster.py)
#   chromium       browser tests (Playwright drives /usr/bin/chromium)
#   poppler-utils  pdfsig, the independent validator of signed PDFs
#   gettext        msgfmt, to compile the committed .po files
#   libpango*      WeasyPrint's text layout
#   wrk            HTTP load generator, only with --bench (make bench); bench/http_bench.py
#                  falls back to a slower Python client without it
set -euo pipefail
need=()
if [ "${1:-}" = "--bench" ]; then command -v wrk >/dev/null 2>&1 || need+=(wrk); fi
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: all Debian packages present"
  exit 0
fi
echo "system-deps: installing ${need[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian's package starts a cluster of its own; the project never uses it.
if [[ " ${need[*]} " == *" postgresql "* ]]; then
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi
echo "system-deps: done"
