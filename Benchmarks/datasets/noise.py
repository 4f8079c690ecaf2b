#!/usr/bin/env python3
"""Writes clips of noise, the plainest material without a beat: white, pink and brown, each drawn Gaussian or
uniform, at several lengths. A beat tracker lays a grid over anything; these clips check that aidj's test of
whether a beat is there at all (`PulsePresence`) gives them none, also over short spans, where a random
envelope's periodicity scatters most.

Development only (aidj itself needs no Python). Writes OUT/NAME.flac (44.1 kHz mono, −20 dBFS RMS, 16 bit) and
OUT/labels-noise.csv (file,key,bpm,beats,group) with `beats` = `none`, which `aidj-bench eval` reads as "no beat
here" and counts the clips given a grid anyway. Names are COLOUR-SECONDS-INDEX; even indices are Gaussian, odd
ones uniform. Deterministic for a seed.

Colours: white (flat spectrum); pink (1/f power, shaped in the frequency domain); brown (1/f², the running sum of
white noise, high-passed at 20 Hz so it does not wander off).

Usage: noise.py OUT [--seconds 20,30,45,60] [--count 12] [--seed 0]
"""

import argparse
import csv
import os

import numpy as np
import soundfile

RATE = 44100
RMS_DB = -20.0


def white(rng, n, gaussian):
    if gaussian:
        return rng.standard_normal(n)
    return rng.uniform(-1, 1, n)


def coloured(rng, n, colour, gaussian):
    x = white(rng, n, gaussian)
    if colour == "white":
        return x
    spectrum = np.fft.rfft(x)
    f = np.fft.rfftfreq(n, 1 / RATE)
    f[0] = f[1]
    power = 1 / f if colour == "pink" else 1 / f ** 2
    gain = np.sqrt(power)
    gain[f < 20] = 0  # no DC or sub-audio drift
    return np.fft.irfft(spectrum * gain, n)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--seconds", default="20,30,45,60", help="clip lengths (s), comma-separated")
    parser.add_argument("--count", type=int, default=12, help="clips per colour and length")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for colour_index, colour in enumerate(["white", "pink", "brown"]):
        for seconds in [float(s) for s in args.seconds.split(",")]:
            for i in range(args.count):
                rng = np.random.default_rng([args.seed, colour_index, int(seconds * 10), i])
                x = coloured(rng, int(seconds * RATE), colour, gaussian=(i % 2 == 0))
                x *= 10 ** (RMS_DB / 20) / np.sqrt(np.mean(x ** 2))
                x = np.clip(x, -1, 1)
                name = f"{colour}-{seconds:g}-{i}.flac"
                soundfile.write(os.path.join(args.out, name), x.astype(np.float32), RATE, subtype="PCM_16")
                rows.append([name, "", 0, "none", colour])
    with open(os.path.join(args.out, "labels-noise.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "key", "bpm", "beats", "group"])
        w.writerows(rows)
    print(f"{len(rows)} clips in {args.out}")


if __name__ == "__main__":
    main()
