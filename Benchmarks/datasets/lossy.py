#!/usr/bin/env python3
"""Copies a labelled set through lossy codecs, so that `aidj-bench eval` can say whether the analysis holds on the
files people actually keep: the same renders as MP3 and as Ogg Vorbis, with the same labels.

Development only (aidj itself needs no Python). Needs `ffmpeg` (Debian; with libmp3lame and libvorbis). For
LABELS.csv in folder SET, writes SET/CODEC/NAME.EXT for each file it lists and SET/labels-CODEC.csv: the same rows
with the file's path changed (the key, tempo, beats and group stay). Copies already present are kept, so a run that
stopped can be started again. The copies are bit-exact (ffmpeg `-fflags +bitexact`), the same on every run.

Codecs: mp3 (LAME, 128 kbit/s CBR: what a download store or an old rip holds), ogg (Vorbis, quality 3, about
112 kbit/s: what the Debian game-music packages ship), opus (96 kbit/s).

Usage: lossy.py LABELS.csv [--codecs mp3,ogg] [--jobs 2]
Example: lossy.py DATA/scores2/labels-fluid.csv; aidj-bench eval DATA/scores2/labels-ogg.csv
"""

import argparse
import csv
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

# Each codec's ffmpeg options; its name is also the copies' folder, file extension and container.
CODECS = {
    "mp3": ["-codec:a", "libmp3lame", "-b:a", "128k"],
    "ogg": ["-codec:a", "libvorbis", "-q:a", "3"],
    "opus": ["-codec:a", "libopus", "-b:a", "96k"],
}


def encode(source, target, codec):
    if os.path.exists(target):
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = target + ".part"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", source, *CODECS[codec], "-fflags", "+bitexact",
                    "-f", codec, partial], check=True)
    os.replace(partial, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels")
    parser.add_argument("--codecs", default="mp3,ogg")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = os.path.dirname(os.path.abspath(args.labels))
    with open(args.labels, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    for codec in args.codecs.split(","):
        if codec not in CODECS:
            raise SystemExit(f"lossy.py: unknown codec '{codec}' (one of {', '.join(CODECS)})")
        renamed = [[f"{codec}/{os.path.splitext(os.path.basename(row[0]))[0]}.{codec}", *row[1:]] for row in rows]
        # Each file once: a labels file may list one twice (scores.py names two encodings of a corpus piece alike).
        pairs = dict.fromkeys((row[0], new[0]) for row, new in zip(rows, renamed))
        with ThreadPoolExecutor(args.jobs) as pool:
            jobs = [pool.submit(encode, os.path.join(folder, source), os.path.join(folder, target), codec)
                    for source, target in pairs]
            for job in jobs:
                job.result()
        out = os.path.join(folder, f"labels-{codec}.csv")
        with open(out, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(renamed)
        print(f"{len(rows)} files through {codec} → {out}")


if __name__ == "__main__":
    main()
