#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine and runs every test.
# Under CI (CI=true) tests that need root and eBPF fail instead of skipping (PIPELINE_REQUIRE_EBPF=1).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
if [ "${CI:-}" = "true" ]; then export PIPELINE_REQUIRE_EBPF=1; fi
dotnet build Pipeline.sln -c Release
log=$(mktemp)
set +e
# Test assemblies run one after another (-m:1): the eBPF, process and socket tests are timing-sensitive under load.
dotnet test Pipeline.sln -c Release --no-build -m:1 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One plain closing line over all test projects.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $rc
