#!/usr/bin/env bash
# Installs what Pipeline needs on a fresh Debian 12 machine and runs the collector on its embedded default config
# (OTLP gRPC on localhost:4317 and HTTP on localhost:4318 → batch → debug). Extra arguments go to the collector.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
exec dotnet run -c Release --project host -- "$@"
