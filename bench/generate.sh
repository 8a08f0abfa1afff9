#!/usr/bin/env bash
# Generates a large organisation into a database the app runs on (see docs/benchmarks.md):
#   bench/generate.sh --scale 10k|100k|1m        (or --promises N), database ct_scale_<scale>
#   bench/generate.sh --scale 1m --database my_db --seed 7 --connection "Host=...;Username=...;Password=..."
# By default the database goes into the app's embedded cluster (src/CommitmentTracker.Web/.data/postgres), so that
#   PostgreSQL__Database=ct_scale_10k ./run.sh
# runs the app on it. An existing database of that name is dropped and recreated. Never run by ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_dotnet || exit 1
ensure_postgres_binaries || exit 1

project=bench/CommitmentTracker.Scale
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
# Fully optimised code from the first call: tier-0 JIT code halves the COPY rate of a run that lasts seconds to minutes.
export DOTNET_TieredCompilation=0
exec dotnet "$project/bin/Release/net10.0/CommitmentTracker.Scale.dll" generate "$@"
