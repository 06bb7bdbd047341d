#!/usr/bin/env bash
# Start or stop a real PostgreSQL, a real Redis and an S3-compatible object store (moto's server
# mode) on loopback for the integration tests and the benches.
# `eval "$(scripts/services.sh start)"` exports DATABASE_URL, CELERY_BROKER_URL and the AWS_*
# variables of the object store (ARENA_STORAGE=s3 uses it; the media stay local otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${SERVICES_DIR:-/tmp/arena-test-services}"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
S3_PORT="${S3_PORT:-59009}"
S3_BUCKET="${S3_BUCKET:-arena-media}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
PG_DATA="$ROOT/pg"

as_postgres() {  # initdb refuses root: run PostgreSQL as its own user when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

s3_call() {  # METHOD URL: true when the object store answers 2xx (no curl needed)
  .venv/bin/python -c 'import sys, urllib.request as r
r.urlopen(r.Request(sys.argv[2], method=sys.argv[1]), timeout=2)' "$1" "$2" >/dev/null 2>&1
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
  s3="http://127.0.0.1:$S3_PORT"
  if ! s3_call GET "$s3/moto-api/"; then
    # moto's server keeps its buckets in memory: a restart starts empty, as a test run wants.
    setsid .venv/bin/moto_server -H 127.0.0.1 -p "$S3_PORT" >"$ROOT/s3.log" 2>&1 </dev/null &
    echo $! >"$ROOT/s3.pid"
    for _ in $(seq 100); do s3_call GET "$s3/moto-api/" && break; sleep 0.1; done
  fi
  s3_call PUT "$s3/$S3_BUCKET" || { echo "the object store did not start: $ROOT/s3.log" >&2; exit 1; }
  echo "export DATABASE_URL=postgres://arena:arena@127.0.0.1:$PG_PORT/arena"
  echo "export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0"
  echo "export AWS_S3_ENDPOINT_URL=$s3 AWS_STORAGE_BUCKET_NAME=$S3_BUCKET AWS_S3_REGION_NAME=us-east-1"
  echo "export AWS_ACCESS_KEY_ID=arena-test AWS_SECRET_ACCESS_KEY=arena-test-secret"
  echo "export REDIS_PORT=$REDIS_PORT PG_PORT=$PG_PORT S3_PORT=$S3_PORT SERVICES_DIR=$ROOT"
}

stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$ROOT/s3.pid" ]; then
    kill "$(cat "$ROOT/s3.pid")" >/dev/null 2>&1 || true
    rm -f "$ROOT/s3.pid"
  fi
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
