#!/usr/bin/env bash
# Measures how many rows one periodic risk sweep writes on the demo company, from PostgreSQL's own statistics
# (pg_stat_user_tables.n_tup_upd), with nobody using the app. Usage: scripts/measure-sweep-writes.sh [checkout]
# (default: this one). It starts a throw-away PostgreSQL cluster and the app from the checkout with a 1-minute sweep,
# waits for the demo data and the first sweeps, then counts the updates made during one sweep interval.
set -euo pipefail
checkout="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
work="$(mktemp -d /tmp/ctsweep.XXXX)"; chmod 0777 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); app_port=$(free_port)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$bin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null; as_pg "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
psql_q() { "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d commitments -Atc "$1"; }

(cd "$checkout" && dotnet build src/CommitmentTracker.Web -v quiet -nologo >/dev/null)
ConnectionStrings__Default="Host=127.0.0.1;Port=$pg_port;Database=commitments;Username=postgres" Risk__SweepIntervalMinutes=1 \
ASPNETCORE_ENVIRONMENT=Development dotnet run --no-build --project "$checkout/src/CommitmentTracker.Web" --no-launch-profile \
    --urls "http://127.0.0.1:$app_port" >"$work/app.log" 2>&1 &
app_pid=$!
until curl -fs "http://127.0.0.1:$app_port/health/ready" >/dev/null; do sleep 1; done
sleep 75   # the demo seeding and the first sweeps settle
snapshot() { psql_q "SELECT coalesce(sum(n_tup_upd),0) || ' ' || coalesce(sum(n_tup_upd) FILTER (WHERE relname = 'commitments'),0) FROM pg_stat_user_tables"; }
read -r all_before promises_before <<<"$(snapshot)"
sleep 60   # one sweep interval
read -r all_after promises_after <<<"$(snapshot)"
open=$(psql_q "SELECT count(*) FROM commitments WHERE direction = 'Ours' AND status IN ('Open','Broken')")
echo "checkout $(cd "$checkout" && git rev-parse --short HEAD): open promises of ours $open; one sweep updated $((promises_after - promises_before)) promise rows, $((all_after - all_before)) rows in all tables"
