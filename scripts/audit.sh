#!/usr/bin/env bash
# `make audit`: Lighthouse on the home page and an article page of a production-like server
# (DEBUG off, collectstatic, gunicorn) holding the demo content in a database of its own.
# Prints the four scores of each page; the HTML and JSON reports go to artifacts/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
LIGHTHOUSE=${LIGHTHOUSE:-.tools/node_modules/.bin/lighthouse}
PORT=${AUDIT_PORT:-8765}
BASE=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom}
OUT=artifacts/lighthouse
WORK=$(mktemp -d)

export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export DATABASE_URL=${AUDIT_DATABASE_URL:-${BASE%%\?*}_audit}
export STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media
export SECRET_KEY=${AUDIT_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
# The audit server speaks plain HTTP on the loopback address.
export SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0

MANAGE=".venv/bin/python manage.py"
$MANAGE ensure_database
$MANAGE migrate --noinput -v 0
$MANAGE load_demo
$MANAGE collectstatic --noinput -v 0
# The article audited gets a lead photo (the demo has none), served from MEDIA_ROOT.
$MANAGE shell -v 0 -c "exec(open('scripts/audit_photo.py').read())"

.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  --pythonpath . scripts.audit_wsgi:application &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.2
done

ARTICLE=$($MANAGE shell -v 0 -c "from django.utils.encoding import iri_to_uri
from articles.models import Article
print(iri_to_uri(Article.objects.published().first().get_absolute_url()))" | tail -n 1)
mkdir -p "$OUT"
for page in home article; do
  if [ "$page" = home ]; then path=/; else path=$ARTICLE; fi
  CHROME_PATH=$CHROMIUM "$LIGHTHOUSE" "http://127.0.0.1:$PORT$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox" --output=json --output=html \
    --output-path="$OUT/$page" >/dev/null
  .venv/bin/python - "$OUT/$page.report.json" "$page" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
print(f"{sys.argv[2]:8} {report['finalDisplayedUrl']}")
print("         " + "  ".join(f"{key}: {value}" for key, value in scores.items()))
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"         - {key}/{ref['id']}: {audit['score']} {audit.get('displayValue', '')}")
PY
done
echo "Reports: $OUT/home.report.html, $OUT/article.report.html"
