#!/usr/bin/env bash
# Make sure the Debian packages Caillou needs are present; install the missing ones.
# Usage: scripts/sysdeps.sh run|test
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need+=(fonts-dejavu-core)
# The PDF action plans are set in Liberation Sans (metric-compatible with Arial).
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need+=(fonts-liberation)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-run}" = test ]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v chromium >/dev/null || need+=(chromium)
  # xgettext: the translation test extracts every marked string (tests/test_translations.py).
  command -v xgettext >/dev/null || need+=(gettext)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${DATABASE_URL:-}" ] || need+=(postgresql)
fi

[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
