#!/usr/bin/env python3
"""How well aidj reads the notes that lie near the ±50-cent line, against an independent pitch tracker.

A note a take plays 35-65 cents off its written pitch is graded right or wrong by which side of 50 cents it reads.
This script takes those notes (truth within 15 cents of ±50, from a label file such as `sounded.py` writes, notes
marked `"sounded": false` left out) and compares three readings of each:
  - the label: key, bend and sample offset;
  - aidj's: the played pitch and cents that `AIDJ_BENCH_NOTES=1 aidj-bench assess LABELS.json` prints;
  - librosa's YIN (de Cheveigne & Kawahara 2002; 46 ms frames at 10 ms hops), median over the note's own span in the
    take (30 ms after its onset to 10 ms before its end or the next note's onset).
It prints the median and p90 of |aidj - label|, |YIN - label| and |aidj - YIN| in cents, and how many notes aidj
puts on the other side of the line from the label.

Usage: AIDJ_BENCH_NOTES=1 aidj-bench assess LABELS.json > NOTES.txt; line_notes.py LABELS.json NOTES.txt
(development only; aidj itself needs no Python)
"""

import json
import os
import re
import sys

import librosa
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sounded import played_pairs, slot_end, take_audio  # noqa: E402

NOTE_LINE = re.compile(r"^\s+(\d+) bar.*?(\S+)/(\S+) pitch (\d+)→(\S+)/(\S+) .*cents\s+(\S+)\s+vs\s+(\S+)\s+dur")
TAKE_LINE = re.compile(r"^\S+ \S+ \S+ wrong")


def found_notes(path):
    """Per take, in order: {reference index: (status, played pitch or None, cents or None)}."""
    takes, current = [], {}
    for line in open(path):
        m = NOTE_LINE.match(line)
        if m:
            current[int(m[1])] = (m[2], None if m[5] == "-" else int(m[5]), None if m[7] == "-" else float(m[7]))
        elif TAKE_LINE.match(line):
            takes.append(current)
            current = {}
    return takes


def spread(values):
    values = np.abs(np.array(values))
    return f"median {np.median(values):.1f}, p90 {np.percentile(values, 90):.1f}"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: line_notes.py LABELS.json NOTES.txt")
    labels = json.load(open(sys.argv[1]))
    aidj_error, yin_error, between, flips = [], [], [], 0
    for take, found in zip(labels, found_notes(sys.argv[2]), strict=True):
        audio, rate = take_audio(sys.argv[1], take)
        for entry, note in played_pairs(take):
            if entry.get("sounded") is False or abs(abs(entry["cents"]) - 50) > 15:
                continue
            status, pitch, cents = found[entry["index"]]
            if pitch is None or cents is None:
                continue
            a, b = note["onset"] + 0.03, min(note["end"], slot_end(take, note)) - 0.01
            if b - a < 0.02:
                continue
            segment = audio[int(a * rate) - 1024:int(b * rate) + 1024]
            f0 = librosa.yin(segment, fmin=note["hz"] / 1.6, fmax=note["hz"] * 1.6, sr=rate, frame_length=2048,
                             hop_length=441, center=False)
            truth = entry["played_pitch"] + entry["cents"] / 100
            yin = float(np.median(1200 * np.log2(f0 / note["hz"])))  # the label's Hz is its pitch and cents
            aidj = 100 * (pitch + cents / 100 - truth)
            aidj_error.append(aidj)
            yin_error.append(yin)
            between.append(aidj - yin)
            flips += (status != "ok") != (entry["status"] != "ok")
    print(f"notes within 15 cents of the line: {len(aidj_error)}; read across it by aidj: {flips}")
    print(f"|aidj - label| {spread(aidj_error)}; |YIN - label| {spread(yin_error)}; |aidj - YIN| {spread(between)}")


if __name__ == "__main__":
    main()
