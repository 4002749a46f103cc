#!/usr/bin/env bash
# Installs the Debian packages the test suite needs. Idempotent: packages
# already present are not touched, and apt is not called when nothing is missing.
set -euo pipefail

packages=(
  openssl   # interop tests check keys and signatures with the openssl CLI
  sqlite3   # crash tests and operators inspect the embedded database
  python3   # node-gyp builds better-sqlite3 from source
  make
  g++
  awscli    # the AWS CLI (v2) drives the AWS KMS door in an interop test
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all system packages present"
  exit 0
fi

echo "setup-system: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
