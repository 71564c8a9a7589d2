#!/usr/bin/env bash
# Install what the dashboard needs and start it on the demo store
# (the app builds the demo store on its first start).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python -m streamlit run serve.py "$@"
