#!/usr/bin/env python3
"""Renders public-domain scores from music21's corpus through General MIDI soundfonts, with labels from the score.

Development only (aidj itself needs no Python). Writes, under OUT:
  midi/NAME.mid                 the performance, written here from the score (so its timing is known exactly)
  SOUNDFONT/NAME.flac           fluidsynth's render of it through that soundfont
  beats/NAME.beats              one `time<TAB>beat-in-bar` line per beat; 1 marks a downbeat
  labels-SOUNDFONT.csv          file,key,bpm,beats — the input of `aidj-bench eval`

Labels come from the score, not from any analyser:
  key    the key signature gives the major key and its relative minor; the final bass note chooses between them
         (a piece whose last bass note is neither tonic is modal and left out);
  bpm    the quarter-note tempo written into the MIDI file, drawn per piece (seeded) from 60–140 BPM, so that
         the set covers slow and fast readings rather than music21's default of 120;
  beats  every quarter note of 2/4, 3/4 and 4/4 measures, downbeats at bar lines, the pickup bar's beats counted
         from its written position (pieces in other meters are left out).

Pieces: Bach chorales, plus other corpus works whose every part keeps one key signature and one meter. The
instrumentation is drawn per piece (seeded) from GM ensembles, so no threshold is tuned to one timbre.

Usage: scores.py OUT [--limit N] [--others N] [--skip N] [--soundfonts fluid,timgm,musescore] [--seed S]

`--soundfonts csound,opl3,freepats` renders the same pieces through three GM banks that no fit or threshold has
seen (Debian csound-soundfont, opl3-soundfont: an FM-synthesis bank, and freepats through TiMidity++; gm.py), to
check that the figures carry over.

The development set is the default: the first 120 chorales by name and the first 20 other works that qualify.
Two more sets of chorales, disjoint from it, give the tempo model more to learn from (150 and 78 pieces; no
further other works qualify): `scores.py OUT2 --skip 120 --limit 200 --others 0` and
`scores.py OUT3 --skip 320 --limit 100 --others 0`.
"""

import argparse
import csv
import math
import os
import random
import sys

import mido
from music21 import corpus, key as m21key, meter, note, chord, stream

import gm

# GM programs for a four-part texture, top voice first.
ENSEMBLES = {
    "piano": [0, 0, 0, 0],
    "organ": [19, 19, 19, 19],
    "strings": [40, 40, 41, 42],
    "choir": [52, 52, 52, 52],
    "winds": [73, 68, 71, 70],
    "brass": [56, 60, 57, 58],
    "guitar": [24, 24, 24, 32],
    "epiano": [4, 4, 4, 33],
}

LEAD_IN_SECONDS = 0.5
PITCH_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def single(items):
    values = {repr(x) for x in items}
    return len(values) == 1


def label_key(score):
    """Key from the key signature and the final bass note, or None for modal or changing keys."""
    signatures = list(score.recurse().getElementsByClass(m21key.KeySignature))
    if not signatures or not single(s.sharps for s in signatures):
        return None
    sharps = signatures[0].sharps
    major_tonic = (7 * sharps) % 12
    minor_tonic = (major_tonic + 9) % 12
    last_notes = []
    for part in score.parts:
        flat = [n for n in part.recurse().notes]
        if flat:
            last = flat[-1]
            pitches = last.pitches if isinstance(last, chord.Chord) else [last.pitch]
            last_notes.append((last.getOffsetInHierarchy(score), min(p.midi for p in pitches)))
    if not last_notes:
        return None
    end = max(o for o, _ in last_notes)
    bass = min(m for o, m in last_notes if o >= end - 4) % 12
    if bass == major_tonic:
        return f"{PITCH_NAMES[major_tonic]} major"
    if bass == minor_tonic:
        return f"{PITCH_NAMES[minor_tonic]} minor"
    return None


def beat_labels(score):
    """(quarter offset, position in bar) for every beat, from the first part's measures; None if unusable."""
    part = score.parts[0]
    beats = []
    ts = None
    for m in part.getElementsByClass(stream.Measure):
        ts = m.timeSignature or ts
        if ts is None or ts.denominator != 4 or ts.numerator not in (2, 3, 4):
            return None
        padding = float(m.paddingLeft or 0)
        offset = float(m.getOffsetInHierarchy(score))
        length = float(m.duration.quarterLength)
        for j in range(ts.numerator):
            position = j * 1.0 - padding  # where beat j of this bar falls inside the measure as written
            if position < -1e-6 or position >= length - 1e-6:
                continue
            beats.append((offset + position, j + 1))
    return beats


def write_midi(score, path, bpm, programs, rng):
    """One track per part, tempo `bpm`, notes at their score offsets after a short lead-in."""
    ticks = 480
    midi = mido.MidiFile(ticks_per_beat=ticks)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0))
    midi.tracks.append(conductor)
    lead = int(round(LEAD_IN_SECONDS * bpm / 60 * ticks))
    end = 0
    for index, part in enumerate(score.parts):
        channel = index if index < 9 else index + 1
        events = []
        for n in part.recurse().notes:
            start = float(n.getOffsetInHierarchy(score))
            duration = float(n.duration.quarterLength)
            if duration <= 0:
                continue
            pitches = n.pitches if isinstance(n, chord.Chord) else [n.pitch]
            velocity = max(40, min(110, int(rng.gauss(80, 8))))
            for p in pitches:
                on = lead + int(round(start * ticks))
                off = lead + int(round((start + duration) * ticks)) - 5
                events.append((on, 1, p.midi, velocity))
                events.append((max(on + 1, off), 0, p.midi, 0))
        if not events:
            continue
        events.sort()
        track = mido.MidiTrack()
        track.append(mido.Message("program_change", channel=channel, program=programs[min(index, 3)], time=0))
        now = 0
        for tick, is_on, pitch, velocity in events:
            kind = "note_on" if is_on else "note_off"
            track.append(mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=tick - now))
            now = tick
        end = max(end, now)
        midi.tracks.append(track)
    midi.save(path)


def pieces(skip, limit):
    chorales = [p for p in corpus.getComposer("bach") if "bwv" in os.path.basename(str(p)).lower()]
    others = []
    for composer in ("haydn", "mozart", "beethoven", "handel", "corelli", "schubert", "cpebach", "weber", "verdi"):
        others += corpus.getComposer(composer)
    return sorted(chorales, key=str)[skip : skip + limit], sorted(others, key=str)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--limit", type=int, default=120, help="chorales to take (sorted by name)")
    parser.add_argument("--others", type=int, default=20, help="other works to take")
    parser.add_argument("--soundfonts", default="fluid,timgm,musescore")
    parser.add_argument("--skip", type=int, default=0, help="chorales to pass over first (sorted by name)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    fonts = gm.fonts(args.soundfonts)
    for d in ["midi", "beats"] + fonts:
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    chorales, others = pieces(args.skip, args.limit)
    rows = []
    taken_others = 0
    for path in chorales + others:
        is_other = path in others
        if is_other and taken_others >= args.others:
            break
        name = os.path.splitext(os.path.basename(str(path)))[0].replace(".", "_")
        if is_other:
            name = os.path.basename(os.path.dirname(str(path))) + "_" + name
        rng = random.Random(f"{args.seed}:{name}")
        try:
            score = corpus.parse(path)
        except Exception as error:  # noqa: BLE001 - corpus files that music21 cannot read are skipped
            print(f"skip {name}: {error}", file=sys.stderr)
            continue
        if not isinstance(score, stream.Score) or len(score.parts) < 2:
            continue
        key_label = label_key(score)
        beats = beat_labels(score)
        if key_label is None or not beats or len(beats) < 16:
            print(f"skip {name}: key {key_label}, beats {len(beats or [])}", file=sys.stderr)
            continue
        duration_quarters = float(score.highestTime)
        if is_other and duration_quarters * 60 / 100 > 420:
            continue  # keep renders under about 7 minutes
        bpm = round(math.exp(rng.uniform(math.log(60), math.log(140))), 1)
        ensemble = rng.choice(sorted(ENSEMBLES))
        midi_path = os.path.join(args.out, "midi", name + ".mid")
        write_midi(score, midi_path, bpm, ENSEMBLES[ensemble], rng)
        with open(os.path.join(args.out, "beats", name + ".beats"), "w") as f:
            for quarters, position in beats:
                f.write(f"{LEAD_IN_SECONDS + quarters * 60 / bpm:.4f}\t{position}\n")
        for font in fonts:
            audio = os.path.join(args.out, font, name + ".flac")
            if not os.path.exists(audio):
                gm.render(font, midi_path, audio, gain=0.6)
        rows.append((name, key_label, bpm, ensemble, "other" if is_other else "chorale"))
        taken_others += is_other
        print(f"{name}: {key_label}, {bpm} BPM, {ensemble}", file=sys.stderr)
    for font in fonts:
        with open(os.path.join(args.out, f"labels-{font}.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["file", "key", "bpm", "beats", "group"])
            for name, key_label, bpm, ensemble, group in rows:
                writer.writerow([f"{font}/{name}.flac", key_label, bpm, f"beats/{name}.beats", group])
    print(f"{len(rows)} pieces × {len(fonts)} soundfonts in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
