#!/usr/bin/env bash
# Re-takes the screenshots in docs/images/ (390 px and 1400 px: dashboard, deal, recovery plan, account, delivery record, fulfilment queue).
# Starts the app with its embedded database and demo company on a spare port, takes the pictures, stops the app.
#   tools/screenshots/take.sh                 app on http://127.0.0.1:5097
#   tools/screenshots/take.sh http://host:port   an app already running with the demo company
set -euo pipefail
cd "$(dirname "$0")/../.."
url="${1:-}"
app_pid=""
cleanup() { if [ -n "$app_pid" ]; then kill -- -"$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ -z "$url" ]; then
    url="http://127.0.0.1:5097"
    log="$(mktemp -t ct-screenshots-app.XXXXXX.log)"
    echo "Starting the app on $url (log: $log)"
    set -m
    ./run.sh -- --urls "$url" >"$log" 2>&1 &
    app_pid=$!
    set +m
    for _ in $(seq 1 240); do
        if curl -fsS "$url/health/ready" >/dev/null 2>&1; then break; fi
        if ! kill -0 "$app_pid" 2>/dev/null; then echo "The app stopped; see $log" >&2; exit 1; fi
        sleep 1
    done
fi

dotnet run --project tools/screenshots -c Release -- "$url/" docs/images "${CT_CHROMIUM_PATH:-/usr/bin/chromium}"
