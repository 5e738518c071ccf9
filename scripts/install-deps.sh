#!/usr/bin/env bash
# Installs the Debian 12 packages Pipeline needs to build and test (run as root; idempotent).
#  clang, libbpf-dev, bpftool : compile the eBPF programs in bpf/ (the build fails naming them when missing)
#  nginx, curl, python3, nodejs: real servers and clients traced by the eBPF receiver's tests
#  nghttp2-client, wrk        : load generators for benchmarks
#  prometheus                 : a real Prometheus scrapes the collector's /metrics in tests/Pipeline.Host.Tests
set -euo pipefail
pkgs=(clang libbpf-dev bpftool nginx curl python3 nodejs nghttp2-client wrk prometheus)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  # Debian starts nginx on install; the tests start their own instances.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx >/dev/null 2>&1 || true; fi
  pkill -x nginx >/dev/null 2>&1 || true
  # Same for prometheus (it would hold :9090); the test starts its own on a free port.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus >/dev/null 2>&1 || true; fi
fi
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
