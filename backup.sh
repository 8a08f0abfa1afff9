#!/usr/bin/env bash
# Backs up or restores the app's database (the embedded one, or ConnectionStrings__Owner/Default when set).
#   ./backup.sh                                  backup to backups/<database>-<UTC time>.dump
#   ./backup.sh <file>                           backup to <file>
#   ./backup.sh --restore <file> --into <name>   restore into a new, empty database <name>; then start the app on it with
#                                                PostgreSQL__Database=<name> ./run.sh   (embedded), or point
#                                                ConnectionStrings__* at it (external). Nothing existing is overwritten.
# Safe while the app runs (pg_dump takes a consistent snapshot). See docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet
ensure_postgres_binaries

absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
if [ "${1:-}" = "--restore" ]; then
    [ $# -ge 2 ] || { echo "Usage: ./backup.sh --restore <file> [--into <database>]" >&2; exit 2; }
    file=$(absolute "$2"); shift 2
    set -- restore "$file" "$@"
else
    file=$(absolute "${1:-backups/commitmenttracker-$(date -u +%Y%m%d-%H%M%S).dump}")
    set -- backup "$file"
fi
exec dotnet run --project src/CommitmentTracker.Web --launch-profile CommitmentTracker -- "$@"
