#!/usr/bin/env python3
"""Copies a set of takes (takes.py's labels.json) as if recorded in a room or through a noisy microphone, with the
same labels, for `aidj-bench assess`: how far the assessment holds away from a dry render.

Development only. Each take is convolved with a synthetic room response: the direct sound, then from 3 ms on
Gaussian noise decaying by 60 dB over RT60 (an exponential reverberant tail; Schroeder's statistical room model),
scaled so the tail's energy sits DRR dB under the direct sound's. Pink noise (Voss/Kellet filter) is added at SNR
dB under the take's level while notes sound. A close microphone in a practice room is roughly RT60 0.3–0.6 s with
a direct-to-reverberant ratio of +3 to +10 dB; a phone across a room is nearer 0 dB. Seeded per take name, so a
copy is reproducible.

Writes, under OUT: NAME.flac per take and labels.json (the input's, with `take` pointing at the copies).

Usage: room.py LABELS.json OUT [--rt60 S] [--drr DB] [--snr DB] [--seed S]
  e.g. room.py DATA/takes/labels.json DATA/takes-room --rt60 0.5 --drr 6
       room.py DATA/takes/labels.json DATA/takes-noise --rt60 0 --snr 20
"""

import argparse
import json
import os
import zlib

import numpy as np
import soundfile as sf
from scipy.signal import fftconvolve, lfilter


def room_response(rate, rt60, drr_db, rng):
    """The direct sound and an exponentially decaying noise tail DRR dB under it."""
    length = int(rt60 * rate)
    t = np.arange(length) / rate
    tail = rng.standard_normal(length) * np.exp(-6.908 * t / rt60)  # 60 dB = e^-6.908
    tail[: int(0.003 * rate)] = 0
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail**2))
    tail[0] = 1.0
    return tail


def pink(n, rng):
    """Pink (1/f) noise: white noise through Kellet's three-pole approximation."""
    b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
    a = [1, -2.494956002, 2.017265875, -0.522189400]
    return lfilter(b, a, rng.standard_normal(n))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels")
    parser.add_argument("out")
    parser.add_argument("--rt60", type=float, default=0.5, help="reverberation time (s); 0 for none")
    parser.add_argument("--drr", type=float, default=6.0, help="direct-to-reverberant ratio (dB)")
    parser.add_argument("--snr", type=float, default=None, help="pink noise this many dB under the take")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    takes = json.load(open(args.labels))
    os.makedirs(args.out, exist_ok=True)
    copies = []
    for take in takes:
        name = take.get("soundfont", "take") + "-" + os.path.basename(take["take"]).rsplit(".", 1)[0]
        rng = np.random.default_rng([args.seed, zlib.crc32(name.encode())])
        audio, rate = sf.read(take["take"], always_2d=True)
        y = audio.mean(axis=1)
        if args.rt60 > 0:
            y = fftconvolve(y, room_response(rate, args.rt60, args.drr, rng))[: len(y)]
        if args.snr is not None:
            sounding = y[np.abs(y) > 1e-4]
            level = np.mean(sounding**2) if len(sounding) else 1e-8
            noise = pink(len(y), rng)
            y = y + noise * np.sqrt(level / np.mean(noise**2) / 10 ** (args.snr / 10))
        y *= 0.9 / max(1e-9, np.max(np.abs(y)))
        path = os.path.join(args.out, name + ".flac")
        sf.write(path, y, rate)
        copies.append(dict(take, take=os.path.abspath(path)))
        print(name, flush=True)
    json.dump(copies, open(os.path.join(args.out, "labels.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
