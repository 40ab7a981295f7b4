#!/usr/bin/env bash
# Makes the faces the window's theme embeds: the wide characters the app's
# own text uses that Fyne's built-in faces lack (Han characters, CJK and
# full-width punctuation), cut from Noto Sans CJK SC of Debian's
# fonts-noto-cjk with pyftsubset from Debian's fonttools. With them Fyne
# draws every string of the window, English or Chinese, without loading a
# system font for a missing character.
#
# Each face goes first in front of one of Fyne's and must not change how
# Fyne lays out text: it has no Latin letter, so Latin text keeps Fyne's
# glyphs, and it takes the line metrics of the Fyne face it goes with (Fyne
# reads them off the face of the space, which a face needs for the spaces
# between Chinese words). The monospaced one also takes its space's width:
#
#	NotoSansCJKsc-Regular-subset.otf  Regular, before Fyne's NotoSans-Regular
#	NotoSansCJKsc-Bold-subset.otf     Bold, before Fyne's NotoSans-Bold
#	NotoSansCJKsc-Mono-subset.otf     Regular, before Fyne's DejaVuSansMono-Powerline
#
# Run from anywhere after the translations or the messages change (the ui
# test TestThemeCoversAppText says when); commit the .otf files and LICENSE.
# The output depends only on the sources, Fyne's version in go.mod and the
# two packages' versions.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
CJK=/usr/share/fonts/opentype/noto
for need in /usr/bin/pyftsubset "$CJK/NotoSansCJK-Regular.ttc"; do
	if [ ! -e "$need" ]; then
		echo "subset.sh: needs Debian's fonttools and fonts-noto-cjk: apt-get install fonttools fonts-noto-cjk" >&2
		exit 1
	fi
done
fyne=$(cd "$root" && go list -m -f '{{.Dir}}' fyne.io/fyne/v2)/theme/font
# Index 2 of the collections is the SC (Simplified Chinese) face.
SC=2

# The app's own text: translations, Fyne's strings and every message in the
# Go sources of the window, the command line, the platform client, the
# sandbox and the store (comments too: a few characters more are harmless).
mapfile -t sources < <(cd "$root" && find ui auth storage main.go \
	\( -name testdata -prune \) -o \( \( -name '*.go' ! -name '*_test.go' \) -o -name '*.json' \) -print | LC_ALL=C sort)

unicodes=$(mktemp)
trap 'rm -f "$unicodes"' EXIT
(cd "$root" && /usr/bin/python3 - "$fyne/NotoSans-Regular.ttf" "$CJK/NotoSansCJK-Regular.ttc" "$SC" "${sources[@]}") >"$unicodes" <<'EOF'
import sys, unicodedata
from fontTools.ttLib import TTFont
latin = TTFont(sys.argv[1]).getBestCmap()
cjk = TTFont(sys.argv[2], fontNumber=int(sys.argv[3])).getBestCmap()
used = set()
for path in sys.argv[4:]:
    with open(path, encoding="utf-8") as f:
        used.update(f.read())
# The spaces that may follow a Chinese word.
print("U+0020\nU+00A0")
for c in sorted(used):
    cp = ord(c)
    # Wide and full-width characters only: an arrow or a bullet that Noto
    # Sans lacks is drawn as before, by the system's face for the language.
    if cp in latin or cp not in cjk or unicodedata.east_asian_width(c) not in "WF":
        continue
    print("U+%04X" % cp)
EOF
echo "subset.sh: $(($(wc -l <"$unicodes") - 2)) wide characters" >&2

# fit OUT WEIGHT FYNE_FACE SPACE: the subset of WEIGHT with the line metrics
# of FYNE_FACE and, when SPACE is "space", its space's width.
fit() {
	/usr/bin/pyftsubset "$CJK/NotoSansCJK-$2.ttc" --font-number=$SC --unicodes-file="$unicodes" \
		--layout-features-=locl,vert,vrt2,vkrn,vpal,valt \
		--desubroutinize --no-hinting --output-file="$1"
	/usr/bin/python3 - "$1" "$fyne/$3" "$4" <<'EOF'
import sys
from fontTools.ttLib import TTFont
out, ref = TTFont(sys.argv[1], recalcTimestamp=False), TTFont(sys.argv[2])
k = out["head"].unitsPerEm / ref["head"].unitsPerEm
scale = lambda v: round(v * k)
for name in ("ascent", "descent", "lineGap"):
    setattr(out["hhea"], name, scale(getattr(ref["hhea"], name)))
o, r = out["OS/2"], ref["OS/2"]
for name in ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent"):
    setattr(o, name, scale(getattr(r, name)))
USE_TYPO_METRICS = 1 << 7
o.fsSelection = (o.fsSelection & ~USE_TYPO_METRICS) | (r.fsSelection & USE_TYPO_METRICS)
if sys.argv[3] == "space":
    space = out.getBestCmap()[0x20]
    out["hmtx"][space] = (scale(ref["hmtx"][ref.getBestCmap()[0x20]][0]), out["hmtx"][space][1])
out.save(sys.argv[1])
EOF
}
fit NotoSansCJKsc-Regular-subset.otf Regular NotoSans-Regular.ttf ""
fit NotoSansCJKsc-Bold-subset.otf Bold NotoSans-Bold.ttf ""
fit NotoSansCJKsc-Mono-subset.otf Regular DejaVuSansMono-Powerline.ttf space

# The licence: the fonts' own copyright notice and the OFL text as Debian
# ships it.
{
	/usr/bin/python3 -c 'import sys
from fontTools.ttLib import TTFont
print(TTFont(sys.argv[1])["name"].getDebugName(0))' "NotoSansCJKsc-Regular-subset.otf"
	echo
	echo "The NotoSansCJKsc-*-subset.otf files are subsets of Noto Sans CJK SC ($(dpkg-query -W -f '${Package} ${Version}' fonts-noto-cjk)),"
	echo "with the line metrics of the faces of Fyne they go with, made by subset.sh. This Font Software is"
	echo "licensed under the SIL Open Font License, Version 1.1:"
	echo
	awk -v RS= '/^License: SIL-1.1\n/' /usr/share/doc/fonts-noto-cjk/copyright | sed '1d;s/^ \.$//;s/^ //'
} >LICENSE
ls -l ./*.otf >&2
