#!/usr/bin/env bash
# Installs the real Prometheus-family binaries the tests run against the generated configuration:
# promtool (prometheus), amtool (prometheus-alertmanager) and the exporters. Debian's builds are older
# than the pinned images; the tests keep the generated config valid for both.
set -euo pipefail
packages=(
  prometheus
  prometheus-alertmanager
  prometheus-node-exporter
  prometheus-postgres-exporter
  prometheus-redis-exporter
  prometheus-blackbox-exporter
  postgresql
  redis-server
)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-tools: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-tools: need root to install: ${missing[*]}" >&2
  echo "  run: sudo $0" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages' services from starting: the tests start what they need themselves.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d
apt-get install -y -qq --no-install-recommends "${missing[@]}"
rm -f /usr/sbin/policy-rc.d
echo "install-tools: installed ${missing[*]}"
