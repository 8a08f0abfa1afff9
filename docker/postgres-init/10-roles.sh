#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty volume (docker-entrypoint-initdb.d).
# Creates the two roles of CommitmentTracker: the owner (owns the database, runs migrations) and the app's role (rows only;
# the app grants it its privileges after each migration). The superuser (POSTGRES_USER) is for administration only.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$CT_OWNER_PASSWORD" -v app_password="$CT_APP_PASSWORD" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE ct_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE ct_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE commitmenttracker OWNER ct_owner;
SQL
