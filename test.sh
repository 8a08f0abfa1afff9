#!/usr/bin/env bash
# Runs every test: domain unit tests, tests on real PostgreSQL, and end-to-end tests in Chromium (one of them with two
# app instances behind nginx).
# Ends with one line: "Tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet || exit 1
ensure_postgres_binaries || exit 1
ensure_chromium || exit 1
ensure_nginx || exit 1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test --solution CommitmentTracker.sln --no-progress "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints "total: / failed: / succeeded: / skipped:" in its summary; add them up.
sum() { grep -E "^\s+$1: [0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
if grep -qE "^\s+total: [0-9]+" "$log"; then
    echo "Tests: $(sum succeeded) passed, $(sum failed) failed, $(sum skipped) skipped"
else
    echo "No test summary: the build or the test host failed." >&2
    echo "Tests: 0 passed, 0 failed, 0 skipped"
    [ "$status" -eq 0 ] && status=1
fi
exit "$status"
