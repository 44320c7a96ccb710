#!/usr/bin/env bash
# Regenerate themes/default/static/fonts/*.woff2 from Debian's fonts-noto-core.
#
# For maintainers only: CI does not run this, the generated .woff2 files are
# committed. Re-runnable; it overwrites the eight font files in place.
#
# What it does, per script (Thai, Lao, Khmer, Myanmar) and weight (400, 700):
#   1. take /usr/share/fonts/truetype/noto/NotoSans<Script>-<Weight>.ttf
#      (static fonts, as in fonts-noto-core 20201225-1 on Debian 12); if the
#      package only ships a variable font, pin it to wght=400/700 (all other
#      axes at their default) with fontTools.varLib.instancer;
#   2. subset it with pyftsubset to its script's block(s) plus ZWSP/ZWNJ/ZWJ
#      and U+25CC DOTTED CIRCLE, keeping every OpenType layout feature (so
#      Khmer/Burmese stacks and Thai/Lao mark positioning keep working),
#      dropping hinting, keeping the copyright/licence name records;
#   3. write WOFF2 (brotli).
#
# The unicode ranges below MUST stay identical to the unicode-range
# descriptors in themes/default/static/css/fonts.css.
#
# Tested with: fonts-noto-core 20201225-1, fonttools 4.68.0, brotli 1.2.1.
# Override the interpreter with PYTHON=/path/to/python3, the source folder
# with NOTO_DIR and the output folder with FONTS_OUT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Both can be overridden, e.g. to test the script without touching the theme.
OUT="${FONTS_OUT:-$ROOT/themes/default/static/fonts}"
NOTO="${NOTO_DIR:-/usr/share/fonts/truetype/noto}"
PYTHON="${PYTHON:-python3}"
# Fixed timestamp so that re-runs give byte-identical files (fontTools honours
# SOURCE_DATE_EPOCH when it writes head.modified).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1609459200}" # 2021-01-01

COMMON="U+200B-200D,U+25CC"
declare -A RANGES=(
  [Thai]="U+0E00-0E7F,$COMMON"
  [Lao]="U+0E80-0EFF,$COMMON"
  [Khmer]="U+1780-17FF,U+19E0-19FF,$COMMON"
  [Myanmar]="U+1000-109F,U+A9E0-A9FF,U+AA60-AA7F,$COMMON"
)
SCRIPTS=(Thai Lao Khmer Myanmar)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- 1. dependencies ---------------------------------------------------------
if [ -z "${NOTO_DIR:-}" ] &&
   ! dpkg-query -W -f='${Status}' fonts-noto-core 2>/dev/null | grep -q 'install ok installed'; then
  echo "installing Debian package fonts-noto-core" >&2
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-core
fi
if [ -z "${NOTO_DIR:-}" ]; then
  NOTO_VERSION="$(dpkg-query -W -f='${Version}' fonts-noto-core)"
  echo "fonts-noto-core $NOTO_VERSION" >&2
  if [ "$NOTO_VERSION" != "20201225-1" ]; then
    echo "note: the committed files were built from fonts-noto-core 20201225-1;" \
         "update themes/default/static/fonts/README.md (versions, sizes)" >&2
  fi
fi

if ! "$PYTHON" -c 'import fontTools, brotli' 2>/dev/null; then
  echo "installing fonttools and brotli with pip" >&2
  "$PYTHON" -m pip install 'fonttools==4.68.0' 'brotli==1.2.1'
fi
"$PYTHON" -c 'import fontTools, brotli; print("fonttools", fontTools.version)' >&2

# --- 2. build ------------------------------------------------------------------
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Find the source for a family and weight; instantiate a static font from a
# variable one when no static file exists. Prints the path of a static TTF.
source_font() { # family weightname weightvalue
  local family="$1" wname="$2" wvalue="$3"
  local static="$NOTO/$family-$wname.ttf"
  if [ -f "$static" ]; then
    echo "$static"
    return
  fi
  local vf
  vf="$(find "$NOTO" -maxdepth 1 \( -name "$family\[*" -o -name "$family-VF.ttf" \
        -o -name "${family}VF.ttf" \) -name '*.ttf' | sort | head -n1)"
  if [ -z "$vf" ]; then
    echo "error: neither $static nor a variable $family font in $NOTO" >&2
    exit 1
  fi
  local inst="$TMP/$family-$wname.ttf"
  "$PYTHON" - "$vf" "$wvalue" "$inst" <<'EOF'
import sys
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
src, wght, dst = sys.argv[1], float(sys.argv[2]), sys.argv[3]
font = TTFont(src)
# pin every axis: wght to the requested value, the others to their default
location = {a.axisTag: (wght if a.axisTag == "wght" else a.defaultValue)
            for a in font["fvar"].axes}
try:
    static = instancer.instantiateVariableFont(font, location, updateFontNames=True)
except Exception:  # no STAT table to derive names from
    static = instancer.instantiateVariableFont(TTFont(src), location)
static.save(dst)
EOF
  echo "instantiated $vf at wght=$wvalue" >&2
  echo "$inst"
}

for script in "${SCRIPTS[@]}"; do
  family="NotoSans$script"
  for weight in Regular:400 Bold:700; do
    wname="${weight%%:*}" wvalue="${weight##*:}"
    src="$(source_font "$family" "$wname" "$wvalue")"
    dst="$OUT/$family-$wname.woff2"
    "$PYTHON" -m fontTools.subset "$src" \
      --unicodes="${RANGES[$script]}" \
      --layout-features='*' \
      --layout-scripts='*' \
      --no-hinting \
      --desubroutinize \
      --name-IDs='*' \
      --notdef-outline \
      --flavor=woff2 \
      --output-file="$dst"
    printf '%-34s %7d bytes  (from %s, %s)\n' "$(basename "$dst")" "$(stat -c %s "$dst")" \
      "$(basename "$src")" "${RANGES[$script]}"
  done
done
