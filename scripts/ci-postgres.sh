#!/usr/bin/env bash
# A PostgreSQL server for the team-ledger tests: Debian's packages, a cluster of its own listening
# on 127.0.0.1 only, a login role allowed to create databases. Prints the URL to put in
# LEDGER_TEST_PG on its last line of standard output (everything else goes to stderr).
#
# Runs as root on a fresh Debian machine without a terminal (CI=true, no stdin) and can be run
# again: an installed server, an existing cluster, a running server or an existing role are
# kept as they are.
#
#   export LEDGER_TEST_PG="$(bash scripts/ci-postgres.sh)"
#
# Settings (environment): LEDGER_PG_PORT (5433), LEDGER_PG_USER (ledger), LEDGER_PG_PASSWORD (ledger),
# LEDGER_PG_CLUSTER (ledgertest).
set -euo pipefail

PORT="${LEDGER_PG_PORT:-5433}"
ROLE="${LEDGER_PG_USER:-ledger}"
PASSWORD="${LEDGER_PG_PASSWORD:-ledger}"
CLUSTER="${LEDGER_PG_CLUSTER:-ledgertest}"

log() { echo "ci-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root (it installs packages and starts a server as the postgres user)"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_createcluster >/dev/null; then
    log "installing PostgreSQL from the Debian packages"
    # the package's own service start is not wanted (no init system in containers); we start our cluster
    apt-get update -qq </dev/null >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-client </dev/null >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
BIN="/usr/lib/postgresql/${VERSION}/bin"
CONF_DIR="/etc/postgresql/${VERSION}/${CLUSTER}"

if [ ! -d "$CONF_DIR" ]; then
    log "creating cluster ${VERSION}/${CLUSTER} on port ${PORT}"
    pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" \
        -- --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >&2
fi

# loopback only; a test server trades durability of the *server* for speed (the ledger's own
# crash tests kill client processes, which these settings do not affect); no autovacuum worker
# sits in a test database when the test drops it
mkdir -p "$CONF_DIR/conf.d"
cat >"$CONF_DIR/conf.d/ledger-tests.conf" <<EOF
listen_addresses = '127.0.0.1'
port = ${PORT}
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
autovacuum = off
EOF
chown -R postgres:postgres "$CONF_DIR/conf.d"

RESTART=0
if ! cmp -s "$CONF_DIR/conf.d/ledger-tests.conf" "$CONF_DIR/conf.d/ledger-tests.conf.applied" 2>/dev/null; then
    RESTART=1
fi
STATUS="$(pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')"
if [ "$STATUS" != "online" ]; then
    log "starting cluster ${VERSION}/${CLUSTER}"
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
elif [ "$RESTART" = 1 ]; then
    log "restarting cluster ${VERSION}/${CLUSTER} for its new settings"
    pg_ctlcluster "$VERSION" "$CLUSTER" restart >&2
fi
cp "$CONF_DIR/conf.d/ledger-tests.conf" "$CONF_DIR/conf.d/ledger-tests.conf.applied"

for _ in $(seq 1 60); do
    if runuser -u postgres -- "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        break
    fi
    sleep 0.5
done
runuser -u postgres -- "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" >&2

log "ensuring role ${ROLE}"
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres \
    -v role="$ROLE" -v password="$PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT pg_signal_backend TO %I', :'role') \gexec
SQL

echo "postgresql://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/postgres"
