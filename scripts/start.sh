#!/usr/bin/env bash
# Install what the dashboard needs, build the demo store when there is no store yet (in this
# terminal, with its progress bar: closing a browser tab cannot stop it), then start the
# dashboard with the HTTP API beside it:
#   dashboard  http://localhost:8501            (Streamlit, in front)
#   API        http://127.0.0.1:8600/api/v1     (python -m analytics api, in the background;
#              OpenAPI at /api/v1/openapi.json; port: CLAIRVOIE_API_PORT)
# The API stops when the dashboard stops. The app is only served once there is something to
# show, so its health answer (/_stcore/health: "ok") means "ready".
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
DB="$(python -c 'from analytics.core.config import default_db_path; print(default_db_path())')"
if [ ! -e "$DB" ]; then
    echo "First start: building the demo store at $DB (a few minutes, once)." >&2
    python -m analytics demo --interventions "${CLAIRVOIE_DEMO_INTERVENTIONS:-200000}" --db "$DB"
fi
API_PORT="${CLAIRVOIE_API_PORT:-8600}"
python -m analytics api --host 127.0.0.1 --port "$API_PORT" &
API_PID=$!
trap 'kill "$API_PID" 2>/dev/null || true' EXIT INT TERM
echo "API: http://127.0.0.1:$API_PORT/api/v1 (OpenAPI: /api/v1/openapi.json) — dashboard below"
python -m streamlit run serve.py "$@"
