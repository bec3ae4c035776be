#!/bin/bash
# The streaming replica: on its first start its data folder is a copy of the primary, made by
# pg_basebackup -R (which writes standby.signal and primary_conninfo, so it starts as a hot
# standby) streaming from the slot primary-init.sh made; then the image's own entrypoint starts it.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_basebackup --host="${PRIMARY_HOST:-primary}" --username=replicator \
            --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream \
            --slot=replica1 --checkpoint=fast --no-password; do
        echo "replica: the primary is not ready for a base backup yet; again in 3 s" >&2
        find "$PGDATA" -mindepth 1 -delete
        sleep 3
    done
    chmod 0700 "$PGDATA"
fi
exec docker-entrypoint.sh "$@"
