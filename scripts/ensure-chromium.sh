#!/usr/bin/env bash
# Install Debian's headless Chromium and its chromedriver when missing (the browser tests need them).
# Idempotent: a no-op when both are there. Never downloads a browser build of its own.
set -u
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: /usr/bin/chromium is missing and apt-get is not available; browser tests will fail" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null \
  || echo "warning: installing chromium failed; browser tests will fail" >&2
exit 0
