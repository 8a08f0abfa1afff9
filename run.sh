#!/usr/bin/env bash
# Runs CommitmentTracker at http://localhost:5000 with its embedded PostgreSQL and the demo company.
# Data lives in src/CommitmentTracker.Web/.data and survives restarts. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet
ensure_postgres_binaries
exec dotnet run --project src/CommitmentTracker.Web --launch-profile CommitmentTracker "$@"
