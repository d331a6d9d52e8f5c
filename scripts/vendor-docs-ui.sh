#!/usr/bin/env bash
# Refresh the docs page's assets (mocks/_docs_assets/) from the npm package pinned in vendor/docs-ui/.
# Run by a developer after changing the pin, never at install or test time: the page must work offline.
#   1. edit the version in vendor/docs-ui/package.json
#   2. (cd vendor/docs-ui && npm install --package-lock-only --ignore-scripts)
#   3. bash scripts/vendor-docs-ui.sh, then commit the three folders' changes
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp vendor/docs-ui/package.json vendor/docs-ui/package-lock.json "$work/"
# --ignore-scripts: a dependency's install script (telemetry) has no business running here.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --silent)
dist="$work/node_modules/swagger-ui-dist"
target=mocks/_docs_assets
rm -rf "$target"
mkdir -p "$target"
for file in swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE; do
  cp "$dist/$file" "$target/$file"
done
version=$(node -p "require('$dist/package.json').version")
echo "$version" > "$target/VERSION"
(cd "$target" && sha256sum swagger-ui-bundle.js swagger-ui.css favicon-32x32.png > SHA256SUMS)
echo "vendored swagger-ui-dist $version into $target"
