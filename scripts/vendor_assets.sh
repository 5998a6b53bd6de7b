#!/usr/bin/env bash
# Copy the pinned front-end libraries (package.json / package-lock.json) into static/vendor/.
# The copied files are committed; node_modules/ is not. Run again after changing a version.
# Pages must load nothing from another host, so any @import of remote fonts and the
# sourceMappingURL comments (their .map files are not vendored) are stripped from the copies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -f package-lock.json ]; then
    npm ci --ignore-scripts --no-audit --no-fund
else
    npm install --ignore-scripts --no-audit --no-fund --save-exact
fi

NM="$ROOT/node_modules"
VENDOR="$ROOT/static/vendor"
rm -rf "$VENDOR"
mkdir -p "$VENDOR/tabler/css" "$VENDOR/tabler/js" "$VENDOR/htmx" "$VENDOR/echarts" "$VENDOR/sortablejs" "$VENDOR/fullcalendar" "$VENDOR/axe-core" "$VENDOR/fonts/noto-sans"

copy() {  # copy <source> <destination>, stripping remote @imports and source-map comments
    local src="$1" dst="$2"
    sed -E \
        -e 's#@import[[:space:]]+(url\()?["'"'"']?(https?:)?//[^;]*;##g' \
        -e 's#/[*/][#@] sourceMappingURL=[^ *]*( \*/)?##g' \
        "$src" > "$dst"
}

copy "$NM/@tabler/core/dist/css/tabler.min.css" "$VENDOR/tabler/css/tabler.min.css"
copy "$NM/@tabler/core/dist/js/tabler.min.js" "$VENDOR/tabler/js/tabler.min.js"
cp "$NM/@tabler/core/LICENSE" "$VENDOR/tabler/LICENSE" 2>/dev/null || true
copy "$NM/htmx.org/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$VENDOR/htmx/LICENSE"
copy "$NM/echarts/dist/echarts.min.js" "$VENDOR/echarts/echarts.min.js"
cp "$NM/echarts/LICENSE" "$VENDOR/echarts/LICENSE"
copy "$NM/sortablejs/Sortable.min.js" "$VENDOR/sortablejs/Sortable.min.js"
cp "$NM/sortablejs/LICENSE" "$VENDOR/sortablejs/LICENSE"
# FullCalendar's standard bundle (day grid, time grid, list, interaction for dragging) and its Russian locale.
copy "$NM/fullcalendar/index.global.min.js" "$VENDOR/fullcalendar/index.global.min.js"
copy "$NM/@fullcalendar/core/locales/ru.global.min.js" "$VENDOR/fullcalendar/ru.global.min.js"
cp "$NM/fullcalendar/LICENSE.md" "$VENDOR/fullcalendar/LICENSE.md"
# axe-core is loaded only by the browser tests (accessibility checks), never by a page.
copy "$NM/axe-core/axe.min.js" "$VENDOR/axe-core/axe.min.js"
cp "$NM/axe-core/LICENSE" "$VENDOR/axe-core/LICENSE"
# Noto Sans (Latin, Latin-ext for ₽, Cyrillic; regular and bold) for the weekly report's PDF (WeasyPrint reads it by @font-face,
# so the PDF does not depend on the fonts of the machine that renders it).
for subset in latin latin-ext cyrillic; do
    for weight in 400 700; do
        cp "$NM/@fontsource/noto-sans/files/noto-sans-$subset-$weight-normal.woff" "$VENDOR/fonts/noto-sans/"
    done
done
cp "$NM/@fontsource/noto-sans/LICENSE" "$VENDOR/fonts/noto-sans/LICENSE"

# Record exactly what was vendored, so a reviewer can compare with package-lock.json.
node -e '
const lock = require("./package-lock.json").packages;
const names = ["@tabler/core", "htmx.org", "echarts", "sortablejs", "fullcalendar", "axe-core", "@fontsource/noto-sans"];
console.log(names.map(n => `${n}@${lock["node_modules/" + n].version}`).join("\n"));
' > "$VENDOR/VERSIONS.txt"

# Fail loudly if a remote reference slipped through (an @import or url() to another host).
if grep -E -l '@import[^;]*(https?:)?//|url\((["'"'"'])?(https?:)?//' -r "$VENDOR" --include='*.css'; then
    echo "a vendored stylesheet loads something from another host" >&2
    exit 1
fi
echo "vendored into $VENDOR:"
cat "$VENDOR/VERSIONS.txt"
