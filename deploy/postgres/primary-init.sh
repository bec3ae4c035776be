#!/bin/bash
# Run once by the postgres image when it creates the primary's data folder: a role that may only
# replicate, allowed in by password from the compose network, and the slot the replica streams
# from, so that the primary keeps the WAL a stopped replica has not received yet (bounded by
# max_slot_wal_keep_size in compose.yaml).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
