#!/usr/bin/env bash
# Start or stop a real PostgreSQL and a real Redis on loopback for the integration tests.
# `eval "$(scripts/services.sh start)"` exports DATABASE_URL and CELERY_BROKER_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${SERVICES_DIR:-/tmp/arena-test-services}"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
PG_DATA="$ROOT/pg"

as_postgres() {  # initdb refuses root: run PostgreSQL as its own user when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$ROOT"
  chmod 755 "$ROOT"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust --no-sync >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w start \
      -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
  fi
  psql="psql -h 127.0.0.1 -p $PG_PORT -U postgres -tAq"
  $psql -c "SELECT 1 FROM pg_roles WHERE rolname='arena'" | grep -q 1 \
    || $psql -c "CREATE ROLE arena LOGIN PASSWORD 'arena' CREATEDB" >&2
  $psql -c "SELECT 1 FROM pg_database WHERE datname='arena'" | grep -q 1 \
    || $psql -c "CREATE DATABASE arena OWNER arena" >&2
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" \
      --appendonly no --dir "$ROOT" --logfile "$ROOT/redis.log" --pidfile "$ROOT/redis.pid"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "export DATABASE_URL=postgres://arena:arena@127.0.0.1:$PG_PORT/arena"
  echo "export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0"
  echo "export REDIS_PORT=$REDIS_PORT PG_PORT=$PG_PORT SERVICES_DIR=$ROOT"
}

stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
