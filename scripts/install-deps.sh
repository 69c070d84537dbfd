#!/usr/bin/env bash
# Installs the system packages LlmPipeline's tests use. Safe to run again; needs root (apt-get) only when something
# is missing. The .NET SDK itself is expected on the machine (see README).
#   sqlite3   the sqlite3 program (3.40 on Debian 12): the test that runs every view in plain SQLite uses it
#   chromium  headless browser: the test that renders `llmpipe report` HTML drives it (no browser download)
set -euo pipefail
need=()
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet --version >/dev/null
