#!/bin/sh
# Builds every development and held-out set that README.md's figures come from, under DATA, with the commands the
# README gives for each (development only; aidj itself needs no Python). Renders already present are kept, so a
# run that stopped can be started again. With --peers, also runs madmom, Essentia and librosa where the README
# compares them (madmom reads about 6x realtime on one core: the 46 records alone take half an hour or more).
#
# Needs the Debian packages and Python modules listed in README.md ("How the analysis is measured").
#
# Usage: build_all.sh DATA [--peers]
set -eu
[ $# -ge 1 ] || { echo "usage: build_all.sh DATA [--peers]" >&2; exit 64; }
DATA=$1
PEERS=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
run() { echo "== $*" >&2; python3 "$@"; }

run "$HERE/scores.py" "$DATA/scores"
run "$HERE/scores.py" "$DATA/scores2" --skip 120 --limit 200 --others 0
run "$HERE/scores.py" "$DATA/scores3" --skip 320 --limit 100 --others 0
run "$HERE/scores.py" "$DATA/scores-held" --soundfonts csound,opl3,freepats
for set in scores scores2 scores3; do
    run "$HERE/lossy.py" "$DATA/$set/labels-fluid.csv"
done
run "$HERE/grooves.py" "$DATA/grooves"
run "$HERE/grooves.py" "$DATA/grooves2" --count 24 --styles halftime,hardgroove
run "$HERE/grooves.py" "$DATA/grooves-held" --soundfonts csound,opl3,freepats
run "$HERE/grooves.py" "$DATA/tchange" --count 30 --tempo-changes --soundfonts fluid,musescore --seed 23
run "$HERE/ambient.py" "$DATA/ambient"
run "$HERE/ambient.py" "$DATA/ambient-short" --seconds 30 --variants 4 --seed 12
run "$HERE/noise.py" "$DATA/noise" --seed 0
run "$HERE/noise.py" "$DATA/noise2" --seed 1 --count 10
run "$HERE/intros.py" "$DATA/grooves" "$DATA/intros"
for seed in 7 23 41 59; do
    run "$HERE/takes.py" "$DATA/takes$seed" --count 72 --seed "$seed"
done
run "$HERE/takes.py" "$DATA/takes-held" --count 72 --seed 7 --soundfonts csound,opl3
# Each take's reference rendered as written (`assess --recording`), and the labels rewritten to the pitch each
# soundfont's sample sounds.
for set in takes7 takes23 takes41 takes59 takes-held; do
    run "$HERE/teacher.py" "$DATA/$set/labels.json" "$DATA/$set/labels-teacher.json"
    run "$HERE/sounded.py" "$DATA/$set/labels.json" "$DATA/$set/labels-sounded.json"
done
run "$HERE/room.py" "$DATA/takes7/labels.json" "$DATA/takes7-room" --rt60 0.5 --drr 6
run "$HERE/room.py" "$DATA/takes7/labels.json" "$DATA/takes7-room0" --rt60 0.5 --drr 0
run "$HERE/room.py" "$DATA/takes7/labels.json" "$DATA/takes7-noise20" --rt60 0 --snr 20

# Real recordings (Debian: hyperrogue-music, warzone2100-music), linked under one folder.
mkdir -p "$DATA/real/records"
for f in /usr/share/hyperrogue/music/*.ogg /usr/share/games/warzone2100/music/albums/*/*.opus; do
    [ -e "$f" ] || continue
    ln -sf "$f" "$DATA/real/records/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# A second real set, held out from every threshold: FreedroidRPG's soundtrack (Debian: freedroidrpg-data; or
# `apt-get download freedroidrpg-data && dpkg-deb -x freedroidrpg-data*.deb DIR` without installing it).
mkdir -p "$DATA/freedroid/records"
for f in /usr/share/freedroidrpg/data/sound/music/*.ogg; do
    [ -e "$f" ] || continue
    ln -sf "$f" "$DATA/freedroid/records/$(basename "$f")"
done

# A third real set, held out as well: the soundtracks of Advanced Strategic Command, Extreme Tux Racer and X-Moto
# (Debian: asc-music, extremetuxracer-data, xmoto-data; or `apt-get download` and `dpkg-deb -x` as above). Jingles
# under 20 s (four of Tux Racer's) are left out: too short for a tempo.
mkdir -p "$DATA/real2/records"
for f in /usr/share/games/asc/music/*.mp3 /usr/share/games/etr/music/*.ogg /usr/share/games/xmoto/Textures/Musics/*.ogg; do
    [ -e "$f" ] || continue
    seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f" | cut -d. -f1)
    [ "${seconds:-0}" -ge 20 ] || continue
    case "$f" in */asc/*) game=asc ;; */etr/*) game=etr ;; *) game=xmoto ;; esac
    ln -sf "$f" "$DATA/real2/records/$game-$(basename "$f")"
done

if [ "$PEERS" = "--peers" ]; then
    run "$HERE/peers.py" --folder "$DATA/real/records" "$DATA/real" --peers madmom,essentia
    run "$HERE/peers.py" --folder "$DATA/freedroid/records" "$DATA/freedroid" --peers madmom,essentia,librosa
    run "$HERE/peers.py" --folder "$DATA/real2/records" "$DATA/real2" --peers madmom,essentia,librosa
    run "$HERE/peers.py" "$DATA/ambient-short/labels-fluid.csv" "$DATA/peers-ambient-short"
fi
echo "datasets under $DATA" >&2
