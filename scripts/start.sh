#!/usr/bin/env bash
# Install what the dashboard needs and start it on the demo store
# (the app builds the demo store on its first start), with the HTTP API beside it:
#   dashboard  http://localhost:8501            (Streamlit, in front)
#   API        http://127.0.0.1:8600/api/v1     (python -m analytics api, in the background;
#              OpenAPI at /api/v1/openapi.json; port: CLAIRVOIE_API_PORT)
# The API stops when the dashboard stops.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
API_PORT="${CLAIRVOIE_API_PORT:-8600}"
python -m analytics api --host 127.0.0.1 --port "$API_PORT" &
API_PID=$!
trap 'kill "$API_PID" 2>/dev/null || true' EXIT INT TERM
echo "API: http://127.0.0.1:$API_PORT/api/v1 (OpenAPI: /api/v1/openapi.json) — dashboard below"
python -m streamlit run app.py "$@"
