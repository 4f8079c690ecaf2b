#!/usr/bin/env python3
"""librosa's pyin on the takes of takes.py, scored the way `aidj-bench assess` scores aidj's pitch tracker.

Development only. Raw pitch accuracy: frames inside a performed note (30 ms in from either end, no other note
sounding) whose f0 is within 50 cents of the performed pitch; an unvoiced frame there is a miss (mir_eval's RPA
over the voiced reference frames). Speed: audio seconds per second of pyin on one core.

Usage: pitch_peers.py LABELS.json [--limit N] [--sr 22050] [--frame 2048] [--json OUT]
"""

import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import librosa  # noqa: E402
import numpy as np  # noqa: E402


def raw_pitch(f0, hop_seconds, performed):
    hits = frames = 0
    notes = sorted(performed, key=lambda n: n["onset"])
    for k, note in enumerate(notes):
        lo, hi = note["onset"] + 0.03, note["end"] - 0.03
        if k + 1 < len(notes):
            hi = min(hi, notes[k + 1]["onset"] - 0.01)
        if hi <= lo:
            continue
        truth = librosa.hz_to_midi(note["hz"])
        for frame in range(int(np.ceil(lo / hop_seconds)), int(np.floor(hi / hop_seconds)) + 1):
            if frame >= len(f0):
                break
            frames += 1
            if not np.isnan(f0[frame]) and abs(librosa.hz_to_midi(f0[frame]) - truth) <= 0.5:
                hits += 1
    return hits, frames


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("labels")
    parser.add_argument("--limit", type=int, default=10**9)
    parser.add_argument("--sr", type=int, default=22050)
    parser.add_argument("--frame", type=int, default=2048)
    parser.add_argument("--json")
    args = parser.parse_args()
    takes = json.load(open(args.labels))[: args.limit]
    hop = int(round(args.sr * 0.01))
    total_hits = total_frames = 0
    audio_seconds = pyin_seconds = 0.0
    rows = []
    for take in takes:
        y, sr = librosa.load(take["take"], sr=args.sr, mono=True)
        started = time.process_time()
        f0, _, _ = librosa.pyin(y, fmin=55, fmax=2093, sr=sr, frame_length=args.frame, hop_length=hop)
        pyin_seconds += time.process_time() - started
        audio_seconds += len(y) / sr
        hits, frames = raw_pitch(f0, hop / sr, take["performed"])
        total_hits += hits
        total_frames += frames
        rows.append({"name": take["name"], "instrument": take["instrument"], "soundfont": take["soundfont"],
                     "rpa": hits / max(1, frames)})
        print(f"{take['name']:34s} {take['instrument']:8s} {take['soundfont']:9s} RPA {hits / max(1, frames):.3f}",
              flush=True)
    summary = {"raw_pitch_accuracy": total_hits / max(1, total_frames),
               "x_realtime_per_core": audio_seconds / max(1e-9, pyin_seconds), "takes": len(rows)}
    print(json.dumps(summary, indent=1))
    if args.json:
        json.dump({"takes": rows, "total": summary}, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
