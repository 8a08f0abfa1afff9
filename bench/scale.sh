#!/usr/bin/env bash
# Times the pages users wait for on a generated database, through the app's own services, next to hand-written SQL
# (the floor), and the risk sweep over every open promise (on a copy: it writes). See docs/benchmarks.md.
#   bench/scale.sh --scale 10k                 (measures ct_scale_10k; generate it first with bench/generate.sh --scale 10k)
#   bench/scale.sh --database NAME --only dashboard,sweep --iterations 11 --timeout 120
#   bench/scale.sh circuits --scale 100k       (server memory per idle dashboard circuit, in headless Chromium)
#   bench/scale.sh browser --scale 1m          (navigation to content in headless Chromium: dashboard, queue, deal page, Today)
#   bench/scale.sh report                      (rewrites docs/benchmarks.md from the kept results)
# Keeps bench/scale-results/<database>.run.json and rewrites docs/benchmarks.md. Never run by ./test.sh.
# CT_SCALE_SQL_LOG=1 prints every SQL command the app's services run, with its duration.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_dotnet || exit 1
ensure_postgres_binaries || exit 1

command=run
case "${1:-}" in
    circuits) command=circuits; shift; ensure_chromium || exit 1 ;;
    browser) command=browser; shift; ensure_chromium || exit 1 ;;
    report) command=report; shift ;;
esac

project=bench/CommitmentTracker.Scale
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
exec dotnet "$project/bin/Release/net10.0/CommitmentTracker.Scale.dll" "$command" "$@"
