#!/usr/bin/env python3
"""Grooves framed by beatless passages: an ambient intro before the beat comes in, a free coda after it stops, or
both, as ambient house, trip-hop and film cues open and close. Material that AIDJSynth did not make, with exact
labels: the beats exist only where the groove plays, so a grid laid over the intro or the coda shows as beats
far from every labelled beat (`aidj-bench eval`'s stray share) and as lost beat precision.

Development only (aidj itself needs no Python). Reads a set made by grooves.py (its midi/, beats/ and
labels-SOUNDFONT.csv) and writes, under OUT, the same layout:
  midi/NAME.mid, SOUNDFONT/NAME.flac, beats/NAME.beats, labels-SOUNDFONT.csv (file,key,bpm,beats,group)

Each piece takes one groove and draws:
  - a frame: `intro`, `coda` or `both`, in turn;
  - an intro of 20–60 s and a coda of 15–40 s: triads of the groove's key on a GM pad, choir or string program
    (ambient.py's pads: each held 3–9 s, so no period), the last intro chord ringing into the groove's first bars
    and the first coda chord struck on the groove's last bar.
The groove is copied note for note, its tempo map kept, and shifted by the intro's length; so are its labels.
The group is the frame.

Usage: intros.py GROOVES OUT [--count N] [--soundfonts fluid,timgm,musescore] [--seed S]
"""

import argparse
import csv
import os
import random

import mido

from ambient import MAJOR, PADS, pad_notes
from grooves import PITCH_NAMES, render, write_labels

FRAMES = ["intro", "coda", "both"]
PAD_CHANNEL = 5  # grooves.py plays on channels 0, 1, 2 and 9
TICKS_PER_SECOND = 960  # 480 per beat at the default 120 BPM tempo
NATURAL_MINOR = [0, 2, 3, 5, 7, 8, 10]


def groove_notes(path):
    """(seconds, message) of every channel message of a MIDI file, in order, with its tempo map applied."""
    now, out = 0.0, []
    for message in mido.MidiFile(path):
        now += message.time
        if not message.is_meta:
            out.append((now, message))
    return out


def pad_in_key(rng, seconds, key_label):
    """Pad triads on the scale of `key_label` ("C# minor"), from its tonic near middle C."""
    tonic_name, mode = key_label.split()
    tonic = PITCH_NAMES.index(tonic_name)
    root = 57 + (tonic - 57) % 12  # 57–68
    return pad_notes(rng, seconds, root=root, scale=NATURAL_MINOR if mode == "minor" else MAJOR)


def write_midi(path, messages):
    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    now = 0
    for seconds, message in sorted(messages, key=lambda m: (m[0], m[1].type != "program_change")):
        tick = int(round(seconds * TICKS_PER_SECOND))
        track.append(message.copy(time=tick - now))
        now = tick
    midi.save(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grooves")
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--soundfonts", default="fluid,timgm,musescore")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    fonts = args.soundfonts.split(",")
    for d in ["midi", "beats"] + fonts:
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    with open(os.path.join(args.grooves, f"labels-{fonts[0]}.csv")) as f:
        grooves = list(csv.DictReader(f))[: args.count]
    rows = []
    for i, groove in enumerate(grooves):
        name = os.path.splitext(os.path.basename(groove["file"]))[0]
        frame = FRAMES[i % len(FRAMES)]
        rng = random.Random(f"{args.seed}:{name}:{frame}")
        intro = rng.uniform(20, 60) if frame != "coda" else 0.0
        coda = rng.uniform(15, 40) if frame != "intro" else 0.0
        pad = rng.choice(sorted(PADS))
        messages = [(t + intro, m) for t, m in groove_notes(os.path.join(args.grooves, "midi", name + ".mid"))]
        with open(os.path.join(args.grooves, groove["beats"])) as f:
            beats = [(float(t) + intro, p) for t, p in (line.split() for line in f if line.strip())]
        notes = []
        if intro > 0:
            notes += pad_in_key(rng, intro, groove["key"])
        if coda > 0:
            # From the groove's last bar (its last labelled downbeat) to the coda's end.
            start = max(t for t, p in beats if p == "1")
            end = max(t for t, _ in messages)
            notes += [(start + s, start + e, n, v) for s, e, n, v in pad_in_key(rng, end - start + coda, groove["key"])]
        messages.append((0.0, mido.Message("program_change", channel=PAD_CHANNEL, program=PADS[pad])))
        for start, end, note, velocity in notes:
            messages.append((start, mido.Message("note_on", channel=PAD_CHANNEL, note=note, velocity=velocity)))
            messages.append((end, mido.Message("note_off", channel=PAD_CHANNEL, note=note, velocity=0)))
        midi_path = os.path.join(args.out, "midi", name + ".mid")
        write_midi(midi_path, messages)
        with open(os.path.join(args.out, "beats", name + ".beats"), "w") as f:
            for t, position in beats:
                f.write(f"{t:.4f}\t{position}\n")
        render(args.out, fonts, name, midi_path)
        rows.append((name, groove["key"], groove["bpm"], frame))
        print(f"{name}: {frame}, intro {intro:.1f} s, coda {coda:.1f} s, {pad}", flush=True)
    write_labels(args.out, fonts, rows)
    print(f"{len(rows)} framed grooves × {len(fonts)} soundfonts in {args.out}")


if __name__ == "__main__":
    main()
