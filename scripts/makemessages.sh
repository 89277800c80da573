#!/usr/bin/env bash
# Refresh the English .po catalogues owned by the UI (see docs/adr/0020-locale-layout.md).
#   satupintu/locale            project templates (base, 404, 500), settings (language names) and the login page
#   satupintu/core/locale       core: models, views, admin (history view)
#   satupintu/catalogue/locale  catalogue: templates, views, template tags, models, API messages
# Other apps keep their own `satupintu/<app>/locale` (run makemessages inside the app).
# After editing msgstr lines: `make messages` compiles them (.mo files are not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$PWD/.venv/bin/python"
MANAGE="$PWD/manage.py"
for app in core catalogue; do
  (cd "satupintu/$app" && mkdir -p locale && "$PY" "$MANAGE" makemessages -l en --no-obsolete -v0)
done
# Project level: only templates/, config/ and the login page; every app directory is skipped.
ignores=()
for dir in satupintu/*/; do
  name=$(basename "$dir")
  case "$name" in templates|config|identity|locale) ;; *) ignores+=(-i "$name/*" -i "$name") ;; esac
done
ignores+=(-i "identity/*.py" -i "identity/migrations/*" -i "identity/tests/*" -i "identity/management/*")
for f in satupintu/identity/templates/identity/*; do  # only the login page is ours
  [ "$(basename "$f")" = "login.html" ] || ignores+=(-i "identity/templates/identity/$(basename "$f")")
done
(cd satupintu && "$PY" "$MANAGE" makemessages -l en --no-obsolete -v0 "${ignores[@]}")
echo "makemessages: done"
