#!/usr/bin/env python3
"""Measures a rendered mix of real records with tools independent of aidj: the beat phase of the two tracks
through each overlap (a peer's beats on the solo sources, mapped through the mix JSON's `time_map`), and the
short-term loudness through each transition (ffmpeg's EBU R128 meter).

Development only (aidj itself needs no Python). Needs numpy and ffmpeg (apt).

Beat references come from `peers.py --folder DIR OUT` (OUT/madmom.csv and its beats). madmom's beats on a
record at one exact tempo still lie p95 8-14 ms off the straight line through them, which is more than the
10 ms that a beat-matched blend must hold. So with --line, a record whose peer beats mostly (>= 90 % within
35 ms) lie on one line is referenced by that line instead. The line is fitted by trying tempi within 1 % of
the median interval, then least squares over the beats on it. A record that does not hold one tempo (a tempo
change, a drift) is fitted the same way on its beats around each overlap (the overlap's span in the record,
8 s either side); where those do not lie on one line either, its raw beats stay the reference.

The pooled figures at the end are given for the beat-matched blends (all kinds but echo-outs, fades and cuts),
for cuts, and for all overlaps.

For each transition it prints the kind, the two files, the overlap length, the median and p95 |offset| between
each incoming beat and the nearest outgoing beat (ms), and the signed median (incoming minus outgoing). It then
prints the short-term loudness (3 s windows centred in the overlap) against the energy mean of the 8 s before
and after the overlap, and how far it strays outside their range (LU). Last come the integrated loudness and
true peak of the whole file, by ffmpeg.

Usage: mix_check.py MIX.json PEER.csv [--line]      (the audio is MIX.json's sibling .flac or .wav)
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys

import numpy as np


def load_beats(peer_csv):
    """Maps each file's basename to its peer beat times."""
    beats = {}
    for row in csv.DictReader(open(peer_csv)):
        path = row["beats"]
        if not os.path.isabs(path):
            path = os.path.join(os.path.dirname(peer_csv), path)
        data = np.loadtxt(path, ndmin=2)
        beats[os.path.basename(row["file"])] = data[:, 0] if data.size else np.array([])
    return beats


def line_through(b):
    """The straight line through the beats when >= 90 % lie within 35 ms of it, else the beats unchanged."""
    if len(b) < 16:
        return b
    interval = np.median(np.diff(b))
    best = None
    for bpm in np.arange(60 / interval * 0.99, 60 / interval * 1.01, 0.0005):
        period = 60 / bpm
        origin = b[len(b) // 2]
        k = np.round((b - origin) / period)
        count = int((abs(b - (origin + period * k)) < 0.035).sum())
        if best is None or count > best[0]:
            best = (count, period, origin)
    _, period, origin = best
    k = np.round((b - origin) / period)
    on = abs(b - (origin + period * k)) < 0.035
    if on.mean() < 0.9:
        return b
    design = np.vstack([k[on], np.ones(on.sum())]).T
    period, origin = np.linalg.lstsq(design, b[on], rcond=None)[0]
    first, last = np.round((b[0] - origin) / period), np.round((b[-1] - origin) / period)
    return origin + period * np.arange(first, last + 1)


def local_line(b, track, start, end):
    """The line through the beats of the record's stretch that plays in mix [start, end], 8 s either side."""
    m = np.array(track["time_map"])
    lo, hi = np.interp([start, end], m[:, 0], m[:, 1])
    near = b[(b >= lo - 8) & (b <= hi + 8)]
    fitted = line_through(near)
    return fitted if fitted is not near else b


def to_mix(track, source_times):
    """Source times mapped to mix time through the track's piecewise-linear time map (NaN outside it)."""
    m = np.array(track["time_map"])
    return np.interp(source_times, m[:, 1], m[:, 0], left=np.nan, right=np.nan)


def short_term(audio):
    """ffmpeg's short-term loudness every 100 ms: (window end times, LUFS), plus integrated LUFS and true peak."""
    err = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-v", "verbose", "-i", audio,
         "-af", "ebur128=framelog=verbose:peak=true", "-f", "null", "-"],
        capture_output=True, text=True).stderr
    rows = re.findall(r"t:\s*([\d.]+)\s+TARGET.*?S:\s*(-?[\d.]+)", err)
    integrated = re.findall(r"I:\s*(-?[\d.]+) LUFS", err)[-1]
    peak = re.findall(r"Peak:\s*(-?[\d.]+) dBFS", err)[-1]
    return np.array([float(t) for t, _ in rows]), np.array([float(s) for _, s in rows]), integrated, peak


def energy_mean(lufs):
    return 10 * np.log10(np.mean(10 ** (lufs / 10)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mix")
    parser.add_argument("peer")
    parser.add_argument("--line", action="store_true")
    args = parser.parse_args()
    mix = json.load(open(args.mix))
    stem = os.path.splitext(args.mix)[0]
    audio = next((stem + e for e in (".flac", ".wav") if os.path.exists(stem + e)), None)
    if audio is None:
        sys.exit(f"mix_check: no {stem}.flac or .wav beside {args.mix}")
    beats = load_beats(args.peer)
    times, loudness, integrated, peak = short_term(audio)
    every = []
    pooled = {}
    for t in mix["transitions"]:
        a, b = mix["tracks"][t["from"]], mix["tracks"][t["to"]]
        start, end = t["overlap_start_s"], t["overlap_end_s"]
        names = (os.path.basename(a["path"]), os.path.basename(b["path"]))
        line = f"{t['type']:12s} {names[0]:24s} -> {names[1]:24s} {end - start:5.1f} s"
        if all(n in beats for n in names):
            refs = [beats[n] for n in names]
            if args.line:
                refs = [line_through(r) for r in refs]
                refs = [f if f is not r else local_line(r, track, start, end)
                        for r, f, track in zip([beats[n] for n in names], refs, (a, b))]
            out = to_mix(a, refs[0]); inc = to_mix(b, refs[1])
            out = out[(out >= start) & (out <= end)]; inc = inc[(inc >= start) & (inc <= end)]
            if len(out) >= 2 and len(inc) >= 2:
                offsets = np.array([x - out[np.argmin(abs(out - x))] for x in inc]) * 1000
                every += list(abs(offsets))
                group = "cuts" if t["type"] == "cut" else None if t["type"] in ("echo-out", "fade") else "blends"
                if group:
                    pooled.setdefault(group, []).extend(abs(offsets))
                line += (f"  beats |offset| median {np.median(abs(offsets)):5.1f} p95 "
                         f"{np.percentile(abs(offsets), 95):5.1f} ms, signed median {np.median(offsets):+5.1f} ms")
        before = loudness[(times - 3 >= start - 8) & (times <= start)]
        after = loudness[(times - 3 >= end) & (times <= end + 8)]
        inside = loudness[(times - 1.5 >= start) & (times - 1.5 <= end)]
        if len(before) and len(after) and len(inside):
            low, high = sorted([energy_mean(before), energy_mean(after)])
            outside = np.maximum(0, np.maximum(low - inside, inside - high)).max()
            line += f"  short-term {inside.min():.1f}..{inside.max():.1f} LUFS, {outside:.1f} LU outside the neighbours"
        print(line)
    for name, group in [("beat-matched blends", pooled.get("blends", [])), ("cuts", pooled.get("cuts", [])),
                        ("all overlaps", every)]:
        if group:
            print(f"{name}: beats |offset| median {np.median(group):.1f} ms, p95 {np.percentile(group, 95):.1f} ms"
                  f" ({len(group)} beats)")
    print(f"{audio}: {integrated} LUFS integrated, true peak {peak} dBTP (ffmpeg ebur128)")


if __name__ == "__main__":
    main()
