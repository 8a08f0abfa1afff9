#!/usr/bin/env bash
# Lighthouse accessibility scores of the sign-in page, the manager's dashboard and a deal page (docs/accessibility.md).
# Starts the app on a spare port with the demo company (or uses the URL given), signs in over HTTP to get the auth
# cookie, and runs Lighthouse (npm package, pinned: 12.2.3 runs on Node 20) in Debian's Chromium, accessibility only.
#   tools/lighthouse/lighthouse.sh                 app on http://127.0.0.1:5098
#   tools/lighthouse/lighthouse.sh http://host:port   an app already running with the demo company
set -euo pipefail
cd "$(dirname "$0")/../.."
url="${1:-}"
out="${LIGHTHOUSE_OUT:-$(mktemp -d -t ct-lighthouse.XXXXXX)}"
export CHROME_PATH="${CT_CHROMIUM_PATH:-/usr/bin/chromium}"
lighthouse_dir="${LIGHTHOUSE_DIR:-$HOME/.cache/ct-lighthouse}"
app_pid=""
cleanup() { if [ -n "$app_pid" ]; then kill -- -"$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ ! -x "$lighthouse_dir/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$lighthouse_dir"
    (cd "$lighthouse_dir" && npm init -y >/dev/null && npm i -E --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi

if [ -z "$url" ]; then
    url="http://127.0.0.1:5098"
    log="$(mktemp -t ct-lighthouse-app.XXXXXX.log)"
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

# Sign in as the demo manager over HTTP: the static login form with its antiforgery token.
jar="$out/cookies.txt"
token=$(curl -fsS -c "$jar" "$url/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=manager@demo.local" --data-urlencode "Input.Password=Demo-Password-2026!" \
    "$url/Account/Login"
cookie=$(awk '$6 ~ /^\.AspNetCore\./ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")
headers="{\"Cookie\": \"$cookie\"}"

deal=$(dotnet run --project tools/screenshots -c Release -- "$url/" - "$CHROME_PATH" --print-deal | tail -1)

run() { # name, path, extra args
    local name=$1 path=$2; shift 2
    "$lighthouse_dir/node_modules/.bin/lighthouse" "$url/$path" --only-categories=accessibility --quiet \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run" \
        --max-wait-for-load=60000 --output=json --output-path="$out/$name.json" "$@"
    node -e "const r=require('$out/$name.json'); const a=r.categories.accessibility; const failed=Object.values(r.audits).filter(x=>x.score===0&&a.auditRefs.some(ref=>ref.id===x.id&&ref.weight>0)).map(x=>x.id); console.log('$name', Math.round(a.score*100), failed.join(' '))"
}
run login Account/Login
run dashboard dashboard --extra-headers="$headers"
run deal "$deal" --extra-headers="$headers"
echo "Reports: $out"
