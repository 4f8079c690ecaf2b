#!/usr/bin/env python3
"""Generates 4/4 pop and dance grooves as General MIDI files (drums, bass, chords, lead) and renders them with
fluidsynth through GM soundfonts: material that AIDJSynth did not make, with exact labels.

Development only (aidj itself needs no Python). Writes, under OUT, the same layout as scores.py:
  midi/NAME.mid, SOUNDFONT/NAME.flac, beats/NAME.beats, labels-SOUNDFONT.csv (file,key,bpm,beats,group)

Each groove: a style (its tempo range, drum pattern and bass rhythm), a key drawn from all 24, a four-bar
progression that opens each cycle on the tonic and ends the piece on it (minor keys often with the raised
leading tone in the dominant chord, as common practice writes it), a lead melody on the scale with chord tones on
strong beats, and GM programs drawn per groove. Labels: the key chosen, the tempo written, every quarter note a
beat and every bar line a downbeat.

With --tempo-changes, each groove changes tempo halfway, at a bar line: by 5–15 % up or down, either at once
(a new section) or as a ramp over 8 bars (as a drummer pushes). The labels' beats follow the tempo map; the label
bpm is the opening tempo, and the group is STYLE-step or STYLE-ramp.

Usage: grooves.py OUT [--count N] [--styles a,b] [--soundfonts fluid,timgm,musescore] [--seed S] [--tempo-changes]

`--soundfonts csound,opl3,freepats`: the same grooves through three GM banks no threshold was set on (Debian
csound-soundfont, opl3-soundfont, and freepats through TiMidity++; gm.py), whose drum kits balance kick, hats and
stabs differently.
"""

import argparse
import csv
import os
import random

import mido

import gm

PITCH_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
LEAD_IN_SECONDS = 0.5
TICKS = 480

# Drum voices (GM percussion key numbers).
KICK, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, RIDE, RIM = 36, 38, 39, 42, 46, 51, 37

# Each style: tempo range (BPM), drum pattern on a 16-step bar {voice: steps}, bass steps, swing (0–1).
STYLES = {
    "house": ((118, 128), {KICK: [0, 4, 8, 12], CLAP: [4, 12], OPEN_HAT: [2, 6, 10, 14], CLOSED_HAT: list(range(16))},
              [2, 6, 10, 14], 0.0),
    "techno": ((125, 135), {KICK: [0, 4, 8, 12], CLOSED_HAT: [2, 6, 10, 14], RIM: [3, 11]},
               [0, 3, 6, 8, 11, 14], 0.0),
    "pop": ((92, 122), {KICK: [0, 7, 8], SNARE: [4, 12], CLOSED_HAT: [0, 2, 4, 6, 8, 10, 12, 14]},
            [0, 7, 8, 10], 0.0),
    "hiphop": ((82, 98), {KICK: [0, 3, 10], SNARE: [4, 12], CLOSED_HAT: [0, 2, 4, 6, 8, 10, 12, 14]},
               [0, 3, 10], 0.25),
    "dnb": ((165, 176), {KICK: [0, 10], SNARE: [4, 12], RIDE: [0, 2, 4, 6, 8, 10, 12, 14]}, [0, 10, 11], 0.0),
    "funk": ((100, 115), {KICK: [0, 3, 8, 10], SNARE: [4, 12, 15], CLOSED_HAT: list(range(16))},
             [0, 3, 6, 8, 10, 13], 0.15),
    # Half-time (dubstep, trap): counted at the fast rate, the snare on 3.
    "halftime": ((135, 150), {KICK: [0, 11], SNARE: [8], CLOSED_HAT: [0, 2, 4, 6, 8, 10, 12, 14]}, [0, 11], 0.0),
    # Fast four-on-the-floor (hard dance, gabber): a kick on every beat at 145–185.
    "hardgroove": ((145, 185), {KICK: [0, 4, 8, 12], CLAP: [4, 12], OPEN_HAT: [2, 6, 10, 14]}, [2, 6, 10, 14], 0.0),
}
# The styles of the first development set (the others are generated with --styles).
DEFAULT_STYLES = "dnb,funk,hiphop,house,pop,techno"

# Progressions as scale degrees (0-based) per bar; "V" marks a major dominant in minor.
MAJOR_PROGRESSIONS = [[0, 4, 5, 3], [0, 3, 4, 0], [0, 5, 3, 4], [0, 3, 0, 4], [0, 1, 4, 0]]
MINOR_PROGRESSIONS = [[0, 5, 2, 6], [0, 3, "V", 0], [0, 6, 5, "V"], [0, 3, 6, 2], [0, 5, 3, "V"]]
MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11]
MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10]

PADS = [0, 4, 5, 16, 48, 50, 81, 88, 89, 90, 24, 27]
BASSES = [32, 33, 34, 35, 38, 39, 87]
LEADS = [80, 81, 73, 56, 65, 11, 12, 29, 62]


def triad(tonic, scale, degree, octave):
    """MIDI pitches of the triad on a scale degree (or the major dominant, "V")."""
    if degree == "V":
        root = tonic + 7
        return [octave * 12 + root, octave * 12 + root + 4, octave * 12 + root + 7]
    pitches = []
    for step in (0, 2, 4):
        d = degree + step
        pitches.append(octave * 12 + tonic + scale[d % 7] + 12 * (d // 7))
    return pitches


def tempo_map_for(rng, bpm, bars, lead_in):
    """A change halfway, at a bar line: (tick, bpm) pairs from tick 0, and the kind ("step" or "ramp")."""
    change_bar = bars // 2
    factor = 1 + rng.choice([-1, 1]) * rng.uniform(0.05, 0.15)
    start = lead_in + change_bar * 4 * TICKS
    if rng.random() < 0.5:
        return [(0, bpm), (start, round(bpm * factor, 2))], "step"
    ramp_beats = 32
    points = [(0, bpm)]
    for b in range(1, ramp_beats + 1):
        points.append((start + (b - 1) * TICKS, round(bpm * (1 + (factor - 1) * b / ramp_beats), 2)))
    return points, "ramp"


def seconds_at(tick, tempo_map):
    """Seconds from the start to `tick` under a piecewise-constant tempo map."""
    seconds = 0.0
    for i, (at_tick, bpm) in enumerate(tempo_map):
        end = tempo_map[i + 1][0] if i + 1 < len(tempo_map) else None
        if end is not None and tick > end:
            seconds += (end - at_tick) / TICKS * 60 / bpm
        else:
            return seconds + (tick - at_tick) / TICKS * 60 / bpm
    return seconds


def generate(rng, style_name, tempo_changes=False):
    (lo, hi), drums, bass_steps, swing = STYLES[style_name]
    bpm = round(rng.uniform(lo, hi), 1)
    tonic = rng.randrange(12)
    minor = rng.random() < 0.5
    scale = MINOR_SCALE if minor else MAJOR_SCALE
    progression = rng.choice(MINOR_PROGRESSIONS if minor else MAJOR_PROGRESSIONS)
    bars = rng.choice([24, 32, 40])
    step_ticks = TICKS // 4
    lead_in = int(round(LEAD_IN_SECONDS * bpm / 60 * TICKS))
    events = {ch: [] for ch in (0, 1, 2, 9)}
    programs = {0: rng.choice(PADS), 1: rng.choice(BASSES), 2: rng.choice(LEADS)}

    def at(bar, step):
        t = bar * 16 + step
        offset = int(swing * step_ticks * 0.5) if step % 2 == 1 else 0
        return lead_in + t * step_ticks + offset

    def add(channel, start, length, pitch, velocity):
        events[channel].append((start, 1, pitch, velocity))
        events[channel].append((start + max(1, length - 5), 0, pitch, 0))

    for bar in range(bars):
        is_last = bar == bars - 1
        degree = 0 if is_last else progression[bar % len(progression)]
        chord = triad(tonic, scale, degree, 5)
        root = triad(tonic, scale, degree, 3)[0]
        # Drums (a sparse intro bar pair, then the full pattern).
        for voice, steps in drums.items():
            if bar < 2 and voice not in (KICK, CLOSED_HAT):
                continue
            for s in steps:
                add(9, at(bar, s), step_ticks, voice, 100 if s % 4 == 0 else rng.randint(60, 85))
        # Chords: a whole-bar pad, or stabs on the offbeats.
        if style_name in ("house", "funk") and not is_last:
            for s in (2, 6, 10, 14):
                for p in chord:
                    add(0, at(bar, s), step_ticks * 2, p, 70)
        else:
            for p in chord:
                add(0, at(bar, 0), 16 * step_ticks, p, 64)
        # Bass: the root, an octave or fifth now and then.
        for s in bass_steps if not is_last else [0]:
            choice = rng.random()
            pitch = root + (12 if choice < 0.15 else 7 if choice < 0.25 else 0)
            add(1, at(bar, s), 2 * step_ticks if not is_last else 16 * step_ticks, pitch, 95)
        # Lead from bar 4: chord tones on strong steps, scale tones between.
        if 4 <= bar < bars - 1:
            s = 0
            while s < 16:
                length = rng.choice([2, 2, 4, 4, 6, 8])
                if rng.random() < 0.25:
                    s += length
                    continue
                if s % 4 == 0:
                    pitch = rng.choice(chord) + 12
                else:
                    d = rng.randrange(7)
                    pitch = 72 + tonic + scale[d]
                    pitch = pitch - 12 if pitch > 88 else pitch
                add(2, at(bar, s), min(length, 16 - s) * step_ticks, pitch, rng.randint(70, 95))
                s += length
    key_label = f"{PITCH_NAMES[tonic]} {'minor' if minor else 'major'}"
    tempo_map, change = tempo_map_for(rng, bpm, bars, lead_in) if tempo_changes else ([(0, bpm)], None)
    beats = [(seconds_at(lead_in + (b * 4 + j) * TICKS, tempo_map), j + 1) for b in range(bars) for j in range(4)]
    return bpm, key_label, events, programs, beats, tempo_map, change


def write_midi(path, tempo_map, events, programs):
    midi = mido.MidiFile(ticks_per_beat=TICKS)
    conductor = mido.MidiTrack()
    now = 0
    for tick, bpm in tempo_map:
        conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=tick - now))
        now = tick
    midi.tracks.append(conductor)
    for channel, items in events.items():
        track = mido.MidiTrack()
        if channel != 9:
            track.append(mido.Message("program_change", channel=channel, program=programs[channel], time=0))
        now = 0
        for tick, is_on, pitch, velocity in sorted(items):
            kind = "note_on" if is_on else "note_off"
            track.append(mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=tick - now))
            now = tick
        midi.tracks.append(track)
    midi.save(path)


def render(out, fonts, name, midi_path):
    """Renders a MIDI file through each soundfont to OUT/SOUNDFONT/NAME.flac (kept when already there)."""
    for font in fonts:
        audio = os.path.join(out, font, name + ".flac")
        if not os.path.exists(audio):
            gm.render(font, midi_path, audio, gain=0.5)


def write_labels(out, fonts, rows):
    """OUT/labels-SOUNDFONT.csv from (name, key, bpm, group) rows, with each piece's beats file."""
    for font in fonts:
        with open(os.path.join(out, f"labels-{font}.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["file", "key", "bpm", "beats", "group"])
            for name, key_label, bpm, group in rows:
                writer.writerow([f"{font}/{name}.flac", key_label, bpm, f"beats/{name}.beats", group])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--soundfonts", default="fluid,timgm,musescore")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--styles", default=DEFAULT_STYLES, help=f"comma-separated, of {','.join(sorted(STYLES))}")
    parser.add_argument("--tempo-changes", action="store_true", help="a tempo change halfway (step or ramp)")
    args = parser.parse_args()
    fonts = gm.fonts(args.soundfonts)
    for d in ["midi", "beats"] + fonts:
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    rows = []
    styles = sorted(args.styles.split(","))
    for i in range(args.count):
        style = styles[i % len(styles)]
        name = f"{style}_{i:03d}"
        rng = random.Random(f"{args.seed}:{name}")
        bpm, key_label, events, programs, beats, tempo_map, change = generate(rng, style, args.tempo_changes)
        midi_path = os.path.join(args.out, "midi", name + ".mid")
        write_midi(midi_path, tempo_map, events, programs)
        with open(os.path.join(args.out, "beats", name + ".beats"), "w") as f:
            for t, position in beats:
                f.write(f"{t:.4f}\t{position}\n")
        render(args.out, fonts, name, midi_path)
        rows.append((name, key_label, bpm, f"{style}-{change}" if change else style))
    write_labels(args.out, fonts, rows)
    print(f"{len(rows)} grooves × {len(fonts)} soundfonts in {args.out}")


if __name__ == "__main__":
    main()
