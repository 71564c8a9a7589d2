#!/usr/bin/env bash
# Install what the dashboard needs, build the demo store when there is no store yet (in this
# terminal, with its progress bar: closing a browser tab cannot stop it), then serve the app.
# The app is only served once there is something to show, so its health answer
# (/_stcore/health: "ok") means "ready".
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
DB="$(python -c 'from analytics.core.config import default_db_path; print(default_db_path())')"
if [ ! -e "$DB" ]; then
    echo "First start: building the demo store at $DB (a few minutes, once)." >&2
    python -m analytics demo --interventions "${CLAIRVOIE_DEMO_INTERVENTIONS:-200000}" --db "$DB"
fi
exec python -m streamlit run app.py "$@"
