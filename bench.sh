#!/usr/bin/env bash
# Runs the benchmarks of bench/ (the domain's hot paths) in Release with a short job for a shared 2-core machine
# (about a minute), then writes bench/results.md: each benchmark's mean and allocated memory against its target.
# Targets live in bench/CommitmentTracker.Bench/targets.json. Exits non-zero when a target is missed or a benchmark fails.
# Extra arguments go to BenchmarkDotNet, e.g. ./bench.sh --filter '*Sweep*' (prints those rows, leaves results.md as it was).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet || exit 1

project=bench/CommitmentTracker.Bench
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
dotnet "$project/bin/Release/net10.0/CommitmentTracker.Bench.dll" --results bench/results.md "$@"
