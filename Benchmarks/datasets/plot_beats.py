#!/usr/bin/env python3
"""Draws a log-frequency spectrogram of an excerpt with beat lists over it, to look at where aidj and a peer
disagree: each BEATS file (`time<TAB>beat-in-bar`) is drawn as ticks in its own colour, downbeats taller.

Development only. Usage: plot_beats.py AUDIO OUT.png --beats NAME=FILE [--beats NAME=FILE…] [--start S] [--seconds N]
"""

import argparse

import librosa
import librosa.display
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("audio")
    parser.add_argument("out")
    parser.add_argument("--beats", action="append", default=[])
    parser.add_argument("--start", type=float, default=0)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    y, sr = librosa.load(args.audio, sr=22050, mono=True, offset=args.start, duration=args.seconds)
    spectrum = librosa.amplitude_to_db(np.abs(librosa.cqt(y, sr=sr, hop_length=256)), ref=np.max)
    fig, ax = plt.subplots(figsize=(14, 5))
    librosa.display.specshow(spectrum, sr=sr, hop_length=256, x_axis="time", y_axis="cqt_note", ax=ax, cmap="magma")
    colours = ["cyan", "lime", "yellow", "white"]
    for n, spec in enumerate(args.beats):
        name, path = spec.split("=", 1)
        beats = np.atleast_2d(np.loadtxt(path))
        for t, position in beats[:, :2]:
            t -= args.start
            if 0 <= t <= args.seconds:
                top = 1.0 if position == 1 else 0.55
                ax.axvline(t, ymin=0.02 + 0.1 * n, ymax=top - 0.1 * n, color=colours[n % 4], lw=1.2 if position == 1 else 0.6)
        ax.plot([], [], color=colours[n % 4], label=name)
    ax.legend(loc="upper right")
    ax.set_title(f"{args.audio} from {args.start:.1f} s")
    fig.tight_layout()
    fig.savefig(args.out, dpi=80)


if __name__ == "__main__":
    main()
