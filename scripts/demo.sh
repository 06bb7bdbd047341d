#!/usr/bin/env bash
# The demo: migrate, seed, then a Celery worker and the web server on 127.0.0.1:8000.
# SQLite and the filesystem broker by default, so nothing else must be running.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-arena.settings.local}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo
$PY manage.py collectstatic --no-input -v0

# Without SoundCloud credentials, organisers post the winners to a local stand-in of its API.
STAND_IN=""
if [ -z "${SOUNDCLOUD_CLIENT_ID:-}" ]; then
  SC="http://127.0.0.1:${SOUNDCLOUD_STAND_IN_PORT:-8765}"
  export SOUNDCLOUD_STAND_IN=1 SOUNDCLOUD_CLIENT_ID=arena-test-client \
    SOUNDCLOUD_CLIENT_SECRET=arena-test-secret SOUNDCLOUD_AUTHORIZE_URL="$SC/authorize" \
    SOUNDCLOUD_TOKEN_URL="$SC/oauth/token" SOUNDCLOUD_API_URL="$SC"
  $PY -m tests.fake_soundcloud --port "${SOUNDCLOUD_STAND_IN_PORT:-8765}" > var/soundcloud.log 2>&1 &
  STAND_IN=$!
fi

# The worker and the site write their logs to files, so the welcome below is the last thing
# printed and stays readable (Celery's banner and warnings go to var/worker.log).
.venv/bin/celery -A tasks worker -Q gpu,default --concurrency "${WORKER_CONCURRENCY:-1}" \
  --loglevel INFO --logfile var/worker.log > var/worker.out 2>&1 &
WORKER=$!
# Sign-up confirmation mails print with the site's log (the console mail backend).
$PY manage.py runserver "127.0.0.1:$PORT" --noreload > var/web.log 2>&1 &
WEB=$!
trap 'kill $WEB $WORKER $STAND_IN 2>/dev/null; wait $WEB $WORKER 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 60); do  # the welcome only once the site answers
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; then break; fi
  if ! kill -0 $WEB 2>/dev/null; then echo "The site did not start; see var/web.log:"; tail -20 var/web.log; exit 1; fi
  sleep 1
done

cat <<MSG

  Arena is running: http://127.0.0.1:$PORT/
    demo event     http://127.0.0.1:$PORT/events/space-odyssey/
    finished event http://127.0.0.1:$PORT/events/bach-to-the-future/
    admin          http://127.0.0.1:$PORT/admin/   (user: organiser)
    API docs       http://127.0.0.1:$PORT/api/docs/
  Log in as alice, bob, carol, dave (participants), judge1..3 or organiser,
  password: ${DEMO_PASSWORD:-bach-demo-2026}.
  Both teams of the live event have a first piece composing now; it is done within a minute.
  Logs: var/web.log (the site, with sign-up confirmation mails), var/worker.log (the worker)${STAND_IN:+,
        var/soundcloud.log (the local SoundCloud stand-in)}.
  Stop with Ctrl-C.

MSG
wait $WEB
