#!/usr/bin/env bash
# The demo's video, PETS 2009 S2.L1 view 1 (OpenCV's sample vtest.avi), cached as
# .cache/demo/vtest.avi and checked by sha256. Taken from ../shared/datasets when this checkout
# has it, else from Debian's opencv-doc package (the file is in its examples), fetched with
# apt-get download: no root needed, nothing installed. Prints the video's path on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

SHA256=45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
PACKAGE=opencv-doc
IN_PACKAGE=./usr/share/doc/opencv-doc/examples/data/vtest.avi
cache=.cache/demo
video="$cache/vtest.avi"
shared=../shared/datasets/pets09-s2l1/vtest.avi

matches() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

if matches "$video"; then
  echo "$PWD/$video"
  exit 0
fi
mkdir -p "$cache"
if matches "$shared"; then
  echo "demo-video: copying $shared" >&2
  cp "$shared" "$video.part"
else
  command -v apt-get >/dev/null 2>&1 || { echo "demo-video: no $shared and no apt-get: give a video with npm run demo -- --video FILE" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "demo-video: fetching Debian's $PACKAGE (about 96 MB) for its vtest.avi" >&2
  (cd "$work" && apt-get download -q "$PACKAGE" >&2) || { echo "demo-video: apt-get download $PACKAGE failed (no network, or no such package in this machine's sources)" >&2; exit 1; }
  deb=$(ls "$work"/"$PACKAGE"_*.deb)
  dpkg-deb --fsys-tarfile "$deb" | tar -xO "$IN_PACKAGE" >"$video.part" || { echo "demo-video: $deb holds no $IN_PACKAGE" >&2; exit 1; }
fi
if ! matches "$video.part"; then
  echo "demo-video: the video's sha256 is $(sha256sum "$video.part" | cut -d' ' -f1), expected $SHA256; not using it" >&2
  rm -f "$video.part"
  exit 1
fi
mv "$video.part" "$video"
echo "demo-video: cached $video (sha256 checked)" >&2
echo "$PWD/$video"
