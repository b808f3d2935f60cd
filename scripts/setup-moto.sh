#!/usr/bin/env bash
# Installs moto server into the project-local virtualenv .venv/ (once; later runs return at once).
# Used by .ci/run and, on first use, by the integration tests. Needs python3 (3.9+) with venv and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
if [[ -x "$VENV/bin/moto_server" ]]; then exit 0; fi
if ! command -v python3 >/dev/null; then
  echo "setup-moto: python3 is needed for the local AWS endpoint (moto server); install it or set AWS_ENDPOINT_URL" >&2
  exit 1
fi
# Several test files may start at once: one installs, the others wait for it.
LOCK=.venv.lock
for _ in $(seq 1 600); do
  if mkdir "$LOCK" 2>/dev/null; then break; fi
  if [[ -x "$VENV/bin/moto_server" ]]; then exit 0; fi
  sleep 1
done
trap 'rmdir "$LOCK" 2>/dev/null || true' EXIT
if [[ -x "$VENV/bin/moto_server" ]]; then exit 0; fi
echo "setup-moto: installing moto[server] into $VENV (once)" >&2
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
"$VENV/bin/moto_server" --help >/dev/null
