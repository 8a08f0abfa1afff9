#!/usr/bin/env bash
# Runs CommitmentTracker at http://localhost:5000 with its embedded PostgreSQL and the demo company, in the Production
# pipeline (a friendly error page, no stack traces). Data lives in src/CommitmentTracker.Web/.data and survives restarts.
# Stop with Ctrl+C.
#   ./run.sh --dev            the Development pipeline instead (developer exception page with the stack)
#   ./run.sh -- --urls ...    anything after -- goes to the app
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet
ensure_postgres_binaries

profile=CommitmentTracker
if [ "${1:-}" = "--dev" ]; then
    profile=CommitmentTracker.Development
    shift
elif [ "${ASPNETCORE_ENVIRONMENT:-}" = "Development" ]; then
    profile=CommitmentTracker.Development
fi
exec dotnet run --project src/CommitmentTracker.Web --launch-profile "$profile" "$@"
