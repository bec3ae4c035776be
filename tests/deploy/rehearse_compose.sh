#!/usr/bin/env bash
# A rehearsal of deploy/compose.yaml on a machine without a container engine (not a test: it takes
# a minute or two and needs root and PostgreSQL's binaries). It runs what compose runs, with the
# same scripts and commands, as local processes on free ports:
#   - a primary made like the postgres image makes it, then deploy/postgres/primary-init.sh;
#   - the replica by deploy/postgres/replica-start.sh (pg_basebackup -R from the primary's slot);
#   - `sunlight init`, gunicorn on deploy/gunicorn.conf.py, `projections run --skip audit` and
#     the sealer, `projections run --only audit`, from the wheel built as the Containerfile builds
#     it, installed in a fresh virtual environment (its dependencies taken from .venv);
# then loads the demo books and checks: /healthz and a page answer, every read model caught up,
# the audit chain whole, a backup taken while serving restores, and the replica in recovery holds
# every event of the primary.
#
#   sudo tests/deploy/rehearse_compose.sh        (from the checkout, after `pip install -e .`)
#
# With IMAGE set, the four services run from that image instead, each in a container as compose
# runs it (read-only, a tmpfs /tmp, no capabilities, the image's own user, the keys folder mounted
# at /var/lib/sunlight), on the host's network; a noticeboard sheet is printed by the web container
# and its fonts listed (Chinese needs the image's CJK font). ENGINE runs them (docker or podman):
#   sudo IMAGE=sunlight-ledger:0.1.0 tests/deploy/rehearse_compose.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CHECKOUT=$PWD
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/sunlight-rehearsal.XXXXXX)
chown postgres "$WORK"
PRIMARY_PORT=${PRIMARY_PORT:-55432}
REPLICA_PORT=${REPLICA_PORT:-55433}
WEB_PORT=${WEB_PORT:-58000}
DB_PASSWORD=rehearsal1
REPLICATION_PASSWORD=rehearsal2
pids=()

as_postgres() { su postgres -s /bin/bash -c "$*"; }
finish() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for folder in "$WORK/replica" "$WORK/primary"; do
        [ -f "$folder/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl -D $folder stop -m fast" >/dev/null
    done
    echo "logs kept in $WORK"
}
trap finish EXIT
step() { echo "== $*"; }
# Over the socket, trusted as in the postgres image (its healthchecks connect the same way).
sql_at() { "$PG_BIN/psql" -h "$WORK" -p "$1" -U sunlight -d sunlight -tAc "$2"; }

step "primary: initdb as the postgres image does, then deploy/postgres/primary-init.sh"
echo "$DB_PASSWORD" > "$WORK/pw" && chown postgres "$WORK/pw"
as_postgres "$PG_BIN/initdb -D $WORK/primary -U sunlight --pwfile=$WORK/pw \
    --auth-local=trust --auth-host=scram-sha-256" >"$WORK/initdb.log"
as_postgres "$PG_BIN/pg_ctl -D $WORK/primary -l $WORK/primary.log -w start -o \
    '-p $PRIMARY_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200 \
     -c max_slot_wal_keep_size=10GB'" >/dev/null
as_postgres "$PG_BIN/psql -h $WORK -p $PRIMARY_PORT -U sunlight -d postgres -qc 'CREATE DATABASE sunlight'"
cp deploy/postgres/*.sh "$WORK/" && chown postgres "$WORK"/*.sh
as_postgres "env POSTGRES_USER=sunlight POSTGRES_DB=sunlight PGDATA=$WORK/primary \
    REPLICATION_PASSWORD=$REPLICATION_PASSWORD PGHOST=$WORK PGPORT=$PRIMARY_PORT \
    PATH=$PG_BIN:\$PATH bash $WORK/primary-init.sh" >/dev/null
as_postgres "$PG_BIN/pg_ctl -D $WORK/primary reload" >/dev/null

step "replica: deploy/postgres/replica-start.sh (pg_basebackup -R), started as a hot standby"
mkdir -p "$WORK/bin"
# The image's entrypoint, here: start the server the script hands its arguments to.
cat >"$WORK/bin/docker-entrypoint.sh" <<EOF
#!/bin/bash
shift  # "postgres"
exec $PG_BIN/postgres -D "\$PGDATA" -p $REPLICA_PORT -k $WORK -c listen_addresses=127.0.0.1 "\$@"
EOF
chmod +x "$WORK/bin/docker-entrypoint.sh"
install -d -o postgres -m 0700 "$WORK/replica"
as_postgres "env PATH=$WORK/bin:$PG_BIN:\$PATH PGDATA=$WORK/replica PRIMARY_HOST=127.0.0.1 \
    PGPORT=$PRIMARY_PORT PGPASSWORD=$REPLICATION_PASSWORD \
    bash $WORK/replica-start.sh postgres -c max_connections=200" >"$WORK/replica.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
    [ "$(sql_at "$REPLICA_PORT" 'select pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 1
done
grep -o "primary_conninfo = '[^']*'" "$WORK/replica/postgresql.auto.conf" \
    | sed "s/password=[^ ']*/password=…/"
echo "replica in recovery: $(sql_at "$REPLICA_PORT" 'select pg_is_in_recovery()')"

export SUNLIGHT_DATABASE_URL="postgresql://sunlight:$DB_PASSWORD@127.0.0.1:$PRIMARY_PORT/sunlight" \
    SUNLIGHT_DATABASE_REPLICA_URLS="postgresql://sunlight:$DB_PASSWORD@127.0.0.1:$REPLICA_PORT/sunlight" \
    SUNLIGHT_PUBLIC_URL=https://cunwu.example.cn SUNLIGHT_BIND="127.0.0.1:$WEB_PORT" \
    SUNLIGHT_WORKERS=2
if [ -n "${IMAGE:-}" ]; then
    ENGINE=${ENGINE:-docker}
    step "the image $IMAGE, its containers run as compose runs them ($ENGINE)"
    # The image's user owns the keys folder, as a named volume mounted there starts.
    install -d -o 10001 -g 10001 -m 0700 "$WORK/keys" "$WORK/restored-keys"
    # A backup is written beside its folder first (a partial one never looks whole): its parent
    # is the container's, as a volume mounted for backups would be.
    install -d -o 10001 -g 10001 "$WORK/backups"
    containers=()
    in_image() {  # in_image KEYS [--detach NAME] ARGS...: one container on the keys folder KEYS
        local keys=$1 detach=(); shift
        if [ "$1" = --detach ]; then
            detach=(--detach --name "$2"); containers+=("$2"); shift 2
        else
            detach=(--rm)
        fi
        "$ENGINE" run "${detach[@]}" --network host --read-only --tmpfs /tmp --cap-drop ALL \
            --security-opt no-new-privileges --init -v "$keys:/var/lib/sunlight" \
            -v "$WORK/backups:$WORK/backups" -e SUNLIGHT_DATABASE_URL -e SUNLIGHT_DATABASE_REPLICA_URLS \
            -e SUNLIGHT_PUBLIC_URL -e SUNLIGHT_BIND -e SUNLIGHT_WORKERS "$IMAGE" "$@"
    }
    sunlight() { in_image "$WORK/keys" sunlight "$@"; }
    serve_web() { in_image "$WORK/keys" --detach "rehearsal-web-$$" >/dev/null; }
    follow() { in_image "$WORK/keys" --detach "rehearsal-$1-$$" sunlight projections run "${@:2}" >/dev/null; }
    restore_in() { SUNLIGHT_DATABASE_URL=$1 in_image "$WORK/restored-keys" sunlight restore "$BACKUP"; }
    finish_containers() { for name in "${containers[@]}"; do "$ENGINE" rm -f "$name" >/dev/null 2>&1 || true; done; }
    trap 'finish_containers; finish' EXIT
else
    step "the wheel, built as deploy/Containerfile builds it, in a fresh environment"
    "$CHECKOUT/.venv/bin/pip" wheel --no-deps -q -w "$WORK/dist" .
    python3 -m venv --without-pip "$WORK/venv"
    "$CHECKOUT/.venv/bin/pip" --python "$WORK/venv/bin/python" install -q --no-deps "$WORK"/dist/*.whl
    purelib=$("$WORK/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    "$CHECKOUT/.venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" \
        >"$purelib/dependencies.pth"
    cp deploy/gunicorn.conf.py "$WORK/gunicorn.conf.py"  # /etc/sunlight/gunicorn.conf.py in the image
    export PATH="$WORK/venv/bin:$PATH" SUNLIGHT_DATA_DIR="$WORK/keys"
    # The image's /opt/sunlight/bin/gunicorn; this environment has gunicorn as a module only.
    serve_web() { python -m gunicorn --config "$WORK/gunicorn.conf.py" >"$WORK/web.log" 2>&1 & pids+=($!); }
    follow() { sunlight projections run "${@:2}" >"$WORK/$1.log" 2>&1 & pids+=($!); }
    restore_in() { SUNLIGHT_DATA_DIR="$WORK/restored-keys" SUNLIGHT_DATABASE_URL=$1 sunlight restore "$BACKUP"; }
fi
BACKUP="$WORK/backups/backup"
cd "$WORK"  # away from the checkout, as the image runs

step "init: sunlight init"
sunlight init
ls -l "$WORK/keys"

step "the demo books, loaded before the services start (demo load projects them itself)"
started=$(date +%s)
sunlight demo load | sed -n 1p  # reads it all: no SIGPIPE under pipefail
echo "loaded in $(( $(date +%s) - started )) s"

step "web, projections and sealer, as compose starts them"
serve_web
follow projections --skip audit
follow sealer --only audit
for _ in $(seq 1 60); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$WEB_PORT/healthz', timeout=2)" \
        2>/dev/null && break
    sleep 0.5
done
echo "healthz: $(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$WEB_PORT/healthz').read().decode())")"

step "a fact written while they run: projected by one process, sealed by the other"
sunlight users create rehearsal --name 演练 | sed -n 1p  # reads it all: no SIGPIPE under pipefail
for _ in $(seq 1 60); do
    sunlight projections status 2>/dev/null | grep "lag [1-9]" >/dev/null || break
    sleep 0.5
done
sunlight projections status
grep -q "阳光" <(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$WEB_PORT/sunlight-village/').read().decode())") \
    && echo "public page of the demo village: served"
step "a disclosure's noticeboard sheet, printed by the web service: its Chinese needs a CJK font"
ref=$(python3 -c "import re, urllib.request as u; page = u.urlopen('http://127.0.0.1:$WEB_PORT/sunlight-village/').read().decode(); print(re.findall(r'/sunlight-village/disclosures/([^/\"?]+)', page)[0])")
python3 -c "import urllib.request as u; open('$WORK/sheet.pdf', 'wb').write(u.urlopen('http://127.0.0.1:$WEB_PORT/sunlight-village/disclosures/$ref/sheet.pdf').read())"
pdffonts "$WORK/sheet.pdf" | tee "$WORK/sheet-fonts.txt"
grep -qi cjk "$WORK/sheet-fonts.txt" && echo "sheet $ref printed with a CJK font embedded"
sunlight audit verify
step "a backup while they run, restored into an empty database and data folder"
sunlight backup "$BACKUP" | tail -n 2
sql_at "$PRIMARY_PORT" "CREATE DATABASE restored" >/dev/null
restore_in "postgresql://sunlight:$DB_PASSWORD@127.0.0.1:$PRIMARY_PORT/restored" | tail -n 2
cmp "$WORK/keys/signing.key" "$WORK/restored-keys/signing.key" && echo "the restored signing key is the same"

primary_events=$(sql_at "$PRIMARY_PORT" "select max(notification_id) from ledger_events")
sleep 1  # the replica streams; a moment behind at most
replica_events=$(sql_at "$REPLICA_PORT" "select max(notification_id) from ledger_events")
echo "last event on the primary: $primary_events, on the replica: $replica_events"
[ -n "$primary_events" ] && [ "$primary_events" = "$replica_events" ]
echo "REHEARSAL PASSED"
