#!/usr/bin/env python3
"""Probes which onsets tell a beat grid from the same grid half a beat later: the phase error that puts house
music's grid on its off-beat bass, chord stabs and open hats. Development only; a prototype for aidj's analysis.

For every file it splits the mel spectrogram (128 bands, 2048-point frames, hop 512 at 22 050 Hz: aidj's frame
analysis) into percussive and harmonic parts with median filters across 17 bands and across 17 frames and a soft
mask (Fitzgerald 2010, "Harmonic/percussive separation using median filtering"), takes the positive flux of each
part in three ranges (below 200 Hz, 200 Hz–2 kHz, above), each over its mean, and reads each envelope's mean at the
beats and at the points half a beat later (the largest value within a frame). A feature is the log ratio of the
two; a pairwise logistic regression, fitted on the training sets' labelled beats (each file gives the right phase
and the wrong one), weighs them. It reports how often the right phase wins on each test set, and, for files given
with aidj's own beats (`aidj-bench eval --save-estimates`), which grids the model would move by half a beat.

Usage: phase_probe.py --train LABELS.csv [...] [--test LABELS.csv ...] [--grids ESTIMATES.csv ...]
  e.g. phase_probe.py --train DATA/grooves/labels-{fluid,timgm,musescore}.csv DATA/grooves2/labels-fluid.csv \\
         --test DATA/grooves-held/labels-{csound,opl3}.csv DATA/scores/labels-fluid.csv DATA/real/madmom.csv \\
         --grids est-grooves-held-opl3.csv
"""

import argparse
import csv
import os

import librosa
import numpy as np
from joblib import Parallel, delayed
from scipy.ndimage import median_filter
from sklearn.linear_model import LogisticRegression

RATE = 22050
HOP = 512
FREQUENCIES = librosa.mel_frequencies(n_mels=128, fmax=RATE / 2)
RANGES = [(0, 200), (200, 2000), (2000, RATE)]
NAMES = [f"{part} {lo}-{hi} Hz" for part in ("percussive", "harmonic") for lo, hi in RANGES]


def envelopes(path):
    """Six onset envelopes: percussive and harmonic flux in three ranges, each over its mean."""
    y, _ = librosa.load(path, sr=RATE)
    mel = librosa.feature.melspectrogram(y=y, sr=RATE, n_fft=2048, hop_length=HOP, n_mels=128, power=2.0)
    across_time = median_filter(mel, size=(1, 17), mode="nearest")
    across_bands = median_filter(mel, size=(17, 1), mode="nearest")
    mask = across_bands**2 / (across_bands**2 + across_time**2 + 1e-20)
    result = []
    for part in (mel * mask, mel * (1 - mask)):
        magnitude = np.sqrt(part)
        rise = np.concatenate([np.zeros((128, 1)), np.maximum(0, np.diff(magnitude, axis=1))], axis=1)
        for lo, hi in RANGES:
            e = rise[(FREQUENCIES >= lo) & (FREQUENCIES < hi)].mean(axis=0)
            result.append(e / (e.mean() + 1e-12))
    return result


def features(path, beats):
    """Log ratio of each envelope at the beats to its value half a beat later."""
    half = np.median(np.diff(beats)) / 2
    envs = envelopes(path)

    def level(e, times):
        frames = [int(round(t * RATE / HOP)) for t in times]
        return np.mean([e[f - 1:f + 2].max() for f in frames if 1 <= f < len(e) - 1])

    on = np.array([level(e, beats) for e in envs])
    off = np.array([level(e, beats + half) for e in envs])
    return np.log(on + 1e-3) - np.log(off + 1e-3)


def rows(labels):
    base = os.path.dirname(os.path.abspath(labels))
    for row in csv.DictReader(open(labels)):
        audio = row["file"] if os.path.isabs(row["file"]) else os.path.join(base, row["file"])
        beats = row["beats"] if os.path.isabs(row["beats"]) else os.path.join(base, row["beats"])
        yield audio, beats


def one(audio, beats_path):
    try:
        beats = np.loadtxt(beats_path, ndmin=2)[:, 0]
    except (OSError, ValueError):
        return None
    if len(beats) < 16:
        return None
    return audio, features(audio, beats)


def collect(label_files):
    jobs = [job for labels in label_files for job in rows(labels)]
    return [r for r in Parallel(n_jobs=2)(delayed(one)(*job) for job in jobs) if r]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", nargs="+", required=True)
    parser.add_argument("--test", nargs="*", default=[])
    parser.add_argument("--grids", nargs="*", default=[])
    args = parser.parse_args()
    train = collect(args.train)
    x = np.array([f for _, f in train] + [-f for _, f in train])
    y = np.array([1] * len(train) + [0] * len(train))
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    print(f"fitted on {len(train)} files; weights:")
    for name, w in zip(NAMES, model.coef_[0]):
        print(f"  {name:28s} {w:+.2f}")
    for labels in args.test:
        tested = collect([labels])
        scores = model.decision_function(np.array([f for _, f in tested]))
        wrong = [os.path.basename(a) for (a, _), s in zip(tested, scores) if s <= 0]
        print(f"{labels}: right phase in {np.sum(scores > 0)} of {len(tested)}  {' '.join(wrong)}")
    for estimates in args.grids:
        graded = collect([estimates])
        scores = model.decision_function(np.array([f for _, f in graded]))
        moved = [f"{os.path.basename(a)} ({s:.2f})" for (a, _), s in zip(graded, scores) if s <= 0]
        print(f"{estimates}: {len(moved)} of {len(graded)} grids belong half a beat later: {' '.join(moved)}")


if __name__ == "__main__":
    main()
