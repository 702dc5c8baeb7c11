#!/usr/bin/env bash
# Checks the framework JS (core/js) as CI does: prettier's format (core/js/.prettierrc.json)
# and eslint (core/js/eslint.config.mjs). `--fix` formats instead of checking the format.
# Needs `npm ci` in tools/js-check first (.ci/run does it).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/node_modules/.bin"
cd "$here/../../core/js" || exit 2
status=0
if [ "${1:-}" = "--fix" ]; then
  "$bin/prettier" --write --log-level warn src worker less eslint.config.mjs || status=1
else
  "$bin/prettier" --check --log-level warn src worker less eslint.config.mjs || status=1
fi
"$bin/eslint" src worker || status=1
exit $status
