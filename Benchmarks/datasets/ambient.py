#!/usr/bin/env python3
"""Generates music and sound with no beat at all, as General MIDI files rendered with fluidsynth through GM
soundfonts: the negative set for beat tracking (a DJ library holds ambient records, soundscapes and noise
tracks, and a beat grid over them is wrong). Material that AIDJSynth did not make.

Development only (aidj itself needs no Python). Writes, under OUT, the layout of grooves.py:
  midi/NAME.mid, SOUNDFONT/NAME.flac, labels-SOUNDFONT.csv (file,key,bpm,beats,group) with `beats` = `none`,
which `aidj-bench eval` reads as "no beat here" and counts the files given a beat grid anyway.

Two kinds, 75 s each (`--seconds`):
  pad      diatonic triads on a GM pad, choir or string program, each held 3–9 s (drawn per chord, so no
           period) and overlapping the next by 0.5–2.5 s, as ambient records move;
  effect   a GM sound effect (seashore, rain, applause, helicopter, breath) re-struck every 4–12 s on one of
           a few pitches, overlapping.
The key is left unlabelled (pads drift between chords of one scale without cadences).

Usage: ambient.py OUT [--soundfonts fluid,timgm,musescore] [--seed S] [--seconds S] [--variants N]

`--seconds 30 --variants 4` makes short pieces, four drawings of each program: the span where a beat grid must
beat the contrast chance gives so few frames (`PulsePresence`).
"""

import argparse
import csv
import itertools
import os
import random

import mido

import gm

# GM programs, 0-based.
PADS = {"pad-newage": 88, "pad-warm": 89, "pad-choir": 91, "pad-halo": 94, "pad-sweep": 95,
        "strings": 48, "choir": 52}
EFFECTS = {"rain": 96, "seashore": 122, "breath": 121, "helicopter": 125, "applause": 126}
MAJOR = [0, 2, 4, 5, 7, 9, 11]
SECONDS = 75.0
TICKS_PER_SECOND = 960  # 480 per beat at the default 120 BPM tempo


def pad_notes(rng, seconds=SECONDS, root=None, scale=MAJOR):
    """(start s, end s, note, velocity) of triads held for irregular lengths, starting within `seconds`, on the
    diatonic scale from `root` (MIDI note; drawn from 57–64 when not given)."""
    if root is None:
        root = rng.randrange(57, 65)
    notes, t = [], 0.0
    while t < seconds:
        hold = rng.uniform(3, 9)
        degree = rng.randrange(7)
        for k in (0, 2, 4):
            step = degree + k
            note = root + scale[step % 7] + 12 * (step // 7)
            notes.append((t, t + hold + rng.uniform(0.5, 2.5), note, rng.randint(60, 90)))
        t += hold
    return notes


def effect_notes(rng, seconds=SECONDS):
    """(start s, end s, note, velocity) of a sound effect re-struck at irregular times."""
    notes, t = [], 0.0
    while t < seconds:
        gap = rng.uniform(4, 12)
        notes.append((t, min(seconds, t + gap + rng.uniform(0.5, 3)), rng.choice([48, 55, 60, 67]),
                      rng.randint(70, 110)))
        t += gap
    return notes


def write_midi(path, notes, program):
    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    track.append(mido.Message("program_change", program=program, channel=0, time=0))
    events = []
    for start, end, note, velocity in notes:
        events.append((int(start * TICKS_PER_SECOND), 1, note, velocity))
        events.append((int(end * TICKS_PER_SECOND), 0, note, 0))
    now = 0
    for tick, on, note, velocity in sorted(events):
        kind = "note_on" if on else "note_off"
        track.append(mido.Message(kind, note=note, velocity=velocity, channel=0, time=tick - now))
        now = tick
    midi.save(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--soundfonts", default="fluid,timgm,musescore")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--variants", type=int, default=1, help="pieces per program, each drawn afresh")
    args = parser.parse_args()
    fonts = gm.fonts(args.soundfonts)
    for d in ["midi"] + fonts:
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    rows = []
    for kind, programs, make in (("pad", PADS, pad_notes), ("effect", EFFECTS, effect_notes)):
        for (program_name, program), variant in itertools.product(sorted(programs.items()), range(args.variants)):
            name = program_name if args.variants == 1 else f"{program_name}-{variant}"
            rng = random.Random(f"{args.seed}:{name}")
            midi_path = os.path.join(args.out, "midi", name + ".mid")
            write_midi(midi_path, make(rng, args.seconds), program)
            for font in fonts:
                audio = os.path.join(args.out, font, name + ".flac")
                if not os.path.exists(audio):
                    gm.render(font, midi_path, audio, gain=0.5)
            rows.append((name, kind))
    for font in fonts:
        with open(os.path.join(args.out, f"labels-{font}.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["file", "key", "bpm", "beats", "group"])
            for name, kind in rows:
                writer.writerow([f"{font}/{name}.flac", "", 0, "none", kind])
    print(f"{len(rows)} beatless pieces × {len(fonts)} soundfonts in {args.out}")


if __name__ == "__main__":
    main()
