#!/usr/bin/env python3
"""Renders student "takes" of reference melodies through General MIDI soundfonts, with injected mistakes and their
known answers, for `aidj-bench assess` and `pitch_peers.py`.

Development only (aidj itself needs no Python). The melodies are the shipped public-domain corpus
(fixtures/melodies/{folk,bach}); the instruments are GM flute, violin, trumpet, voice "oohs" and clarinet; the
soundfonts FluidR3, TimGM6mb and MuseScore General (`--soundfonts csound,opl3`: two banks no threshold was
set on, Debian csound-soundfont and opl3-soundfont). Nothing here comes from AIDJSynth.

Each take draws, seeded:
  - a tempo of 0.8–1.2× the reference with rubato (the local tempo swings ±6 % over 8 s);
  - a global detune of 0 or +20 cents (pitch bend);
  - per note: a wrong note ±1 or ±2 semitones (6 %), a missed note (4 %), an extra note squeezed in after it
    (3 %), an onset shift of ±40–120 ms (10 %), a local detune of ±30–60 cents (8 %).
Notes are played at 85 % of their written length (articulated), so repeated pitches are heard as repeats.

Writes, under OUT:
  ref/NAME.mid          the reference line, transposed into the instrument's range
  take/NAME.mid         the performance (with pitch bends)
  SOUNDFONT/NAME.flac   fluidsynth's render of the performance
  labels.json           one entry per take: files, tuning, tempo ratio, per reference note the truth
                        (status, played pitch, cents after tuning, onset shift in ms), extra notes, and the
                        performed notes (take time, end, frequency in Hz) for frame-level pitch accuracy

Usage: takes.py OUT [--count N] [--seed S] [--notes N] [--ogg] [--relative]

The test fixtures in fixtures/takes are
  `takes.py fixtures/takes --count 6 --notes 24 --seed 11 --ogg --relative --soundfonts fluid,musescore`
(then fixtures/takes/take/, the performance MIDI, removed: the labels hold the performed notes). Only the
MIT-licensed soundfonts go into the repository; TimGM6mb (GPL) is for the development set only.
"""

import argparse
import json
import math
import os
import random
import subprocess

import mido

from gm import SOUNDFONTS

HERE = os.path.dirname(os.path.abspath(__file__))
MELODIES = os.path.join(HERE, "..", "..", "fixtures", "melodies")
# GM program and the MIDI pitch the melody's median is moved near (by octaves).
INSTRUMENTS = {
    "flute": (73, 79),
    "violin": (40, 72),
    "trumpet": (56, 67),
    "voice": (53, 65),
    "clarinet": (71, 67),
}


def read_melody(path, limit):
    """(start seconds, end seconds, pitch) of the first `limit` notes, at the file's tempo."""
    notes, active = [], {}
    t = 0.0
    for message in mido.MidiFile(path):
        t += message.time
        if message.type == "note_on" and message.velocity > 0:
            active[message.note] = t
        elif message.type in ("note_off", "note_on") and message.note in active:
            notes.append((active.pop(message.note), t, message.note))
    notes.sort()
    return notes[:limit]


def overlapping_share(notes):
    """The share of notes that start more than 30 ms before an earlier note ends (aidj's own test of a line)."""
    latest, overlapping = -1.0, 0
    for start, end, _ in notes:
        if start < latest - 0.03:
            overlapping += 1
        latest = max(latest, end)
    return overlapping / len(notes)


def meter(path):
    """(numerator, denominator, microseconds per quarter) of the file's first time signature and tempo."""
    mid = mido.MidiFile(path)
    numerator, denominator = 4, 4
    tempo = 500000
    for track in mid.tracks:
        for message in track:
            if message.type == "time_signature":
                numerator, denominator = message.numerator, message.denominator
                break
            if message.type == "set_tempo":
                tempo = message.tempo
    return numerator, denominator, tempo


def bars_and_beats(path, notes):
    numerator, denominator, tempo = meter(path)
    beat_seconds = tempo / 1e6 * 4 / denominator
    places = []
    for start, _, _ in notes:
        beats = (start - 0.0) / beat_seconds
        places.append((int(beats // numerator) + 1, beats % numerator + 1))
    return places


def warp(ratio, phase):
    """Reference seconds → take seconds: a tempo of 1/ratio swinging ±6 % over 8 s."""
    def f(t):
        # ∫ ratio (1 + 0.06 sin(2π u / 8 + phase)) du
        return ratio * (t - 0.06 * 8 / (2 * math.pi) * (math.cos(2 * math.pi * t / 8 + phase) - math.cos(phase)))
    return f


def bend_value(cents):
    return max(-8192, min(8191, int(round(cents / 200 * 8192))))


def make_take(rng, name, path, instrument, notes):
    program, centre = INSTRUMENTS[instrument]
    pitches = sorted(n[2] for n in notes)
    shift = 12 * round((centre - pitches[len(pitches) // 2]) / 12)
    reference = [(s, e, p + shift) for s, e, p in notes]
    ratio = rng.uniform(0.8, 1.2)
    f = warp(ratio, rng.uniform(0, 2 * math.pi))
    tuning = rng.choice([0.0, 20.0])
    start0 = reference[0][0]
    performed, truth, extras = [], [], []
    for index, (s, e, p) in enumerate(reference):
        s -= start0
        e -= start0
        onset = 0.5 + f(s)
        end = 0.5 + f(s + 0.85 * (e - s))
        roll = rng.random()
        entry = {"index": index, "status": "ok", "played_pitch": p, "cents": 0.0, "onset_ms": 0.0}
        if roll < 0.04:
            entry = {"index": index, "status": "missed", "played_pitch": None, "cents": None, "onset_ms": None}
            truth.append(entry)
            continue
        played, cents = p, 0.0
        if roll < 0.10:
            played = p + rng.choice([-2, -1, 1, 2])
        if rng.random() < 0.08:
            cents = rng.choice([-1, 1]) * rng.uniform(30, 60)
        offset = 0.0
        if rng.random() < 0.10 and 0 < index < len(reference) - 1:
            # At most 40 % of the shorter gap to a neighbour, so the shifted note is still a note.
            gaps = [f(s) - f(reference[index - 1][0] - start0), f(reference[index + 1][0] - start0) - f(s)]
            largest = min(0.120, 0.4 * min(gaps))
            if largest >= 0.040:
                offset = rng.choice([-1, 1]) * rng.uniform(0.040, largest)
        # The pitch heard after tuning: a detune past ±50 cents is the neighbouring semitone.
        heard = played + cents / 100
        entry["played_pitch"] = int(round(heard))
        entry["cents"] = 100 * (heard - round(heard))
        entry["status"] = "ok" if entry["played_pitch"] == p else "wrong_pitch"
        entry["onset_ms"] = 1000 * offset
        truth.append(entry)
        hz = 440 * 2 ** ((played + (cents + tuning) / 100 - 69) / 12)
        performed.append({"onset": onset + offset, "end": max(onset + offset + 0.05, end + offset), "pitch": played,
                          "bend": tuning + cents, "hz": hz})
        if rng.random() < 0.03 and index + 1 < len(reference):
            # An extra note squeezed in before the next one: this note is cut short to make room.
            next_onset = 0.5 + f(reference[index + 1][0] - start0)
            gap_start = onset + offset + 0.55 * (next_onset - onset - offset)
            if next_onset - gap_start >= 0.12:
                performed[-1]["end"] = min(performed[-1]["end"], gap_start - 0.02)
                extra_pitch = played + rng.choice([-5, -4, -3, 3, 4, 5])
                performed.append({"onset": gap_start, "end": next_onset - 0.03, "pitch": extra_pitch,
                                  "bend": tuning, "hz": 440 * 2 ** ((extra_pitch + tuning / 100 - 69) / 12)})
                extras.append({"time_s": gap_start, "pitch": extra_pitch})
    # One note at a time, as the instrument plays: a note ends before the next begins (an early note cuts the
    # one before it short).
    performed.sort(key=lambda n: n["onset"])
    for a, b in zip(performed, performed[1:]):
        a["end"] = min(a["end"], b["onset"] - 0.01)
    return reference, ratio, tuning, performed, truth, extras, program


def render(font, midi_path, wav_path):
    """fluidsynth's render of a MIDI file through one of SOUNDFONTS, as 44.1 kHz WAV."""
    subprocess.run(["fluidsynth", "-ni", "-g", "0.6", "-r", "44100", "-F", wav_path, SOUNDFONTS[font], midi_path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def write_reference(path, notes, program, source):
    """The reference at the source's own tempo and meter, so its bars are the score's."""
    numerator, denominator, tempo = meter(source)
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=tempo, time=0))
    track.append(mido.MetaMessage("time_signature", numerator=numerator, denominator=denominator, time=0))
    track.append(mido.Message("program_change", program=program, time=0))
    events = []
    for s, e, p in notes:
        events.append((s, 1, mido.Message("note_on", note=p, velocity=90)))
        events.append((e, 0, mido.Message("note_off", note=p, velocity=0)))
    write_events(track, sorted(events, key=lambda x: (x[0], x[1])), ticks_per_second=480 * 1e6 / tempo)
    mid.save(path)


def write_take(path, performed, program):
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    track.append(mido.Message("program_change", program=program, time=0))
    events = []
    for n in sorted(performed, key=lambda n: n["onset"]):
        events.append((n["onset"] - 0.002, 1, mido.Message("pitchwheel", pitch=bend_value(n["bend"]))))
        events.append((n["onset"], 2, mido.Message("note_on", note=n["pitch"], velocity=90)))
        events.append((n["end"], 0, mido.Message("note_off", note=n["pitch"], velocity=0)))
    write_events(track, sorted(events, key=lambda x: (x[0], x[1])))
    mid.save(path)


def write_events(track, events, ticks_per_second=960):
    last = 0
    for t, _, message in events:
        tick = max(last, int(round(t * ticks_per_second)))
        message.time = tick - last
        track.append(message)
        last = tick


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--notes", type=int, default=48)
    parser.add_argument("--ogg", action="store_true", help="mono Ogg Vorbis (q2) instead of FLAC: small fixtures")
    parser.add_argument("--relative", action="store_true", help="paths in labels.json relative to OUT")
    parser.add_argument("--soundfonts", default="fluid,musescore,timgm", help="comma-separated subset")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folk = sorted(os.listdir(os.path.join(MELODIES, "folk")))
    bach = sorted(os.listdir(os.path.join(MELODIES, "bach")))
    pool = [os.path.join(MELODIES, "folk", n) for n in folk] + [os.path.join(MELODIES, "bach", n) for n in bach]
    rng.shuffle(pool)
    for sub in ["ref", "take"] + args.soundfonts.split(","):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    labels = []
    instruments = sorted(INSTRUMENTS)
    fonts = sorted(args.soundfonts.split(","))
    for k, path in enumerate(pool[: args.count]):
        notes = read_melody(path, args.notes)
        if len(notes) < 12 or overlapping_share(notes) > 0.1:
            continue  # too short, or not one note at a time (a few corpus tunes hold chords)
        name = os.path.splitext(os.path.basename(path))[0]
        instrument = instruments[k % len(instruments)]
        font = fonts[(k % len(instruments) + k // len(instruments)) % len(fonts)]  # each instrument, every font
        reference, ratio, tuning, performed, truth, extras, program = make_take(rng, name, path, instrument, notes)
        places = bars_and_beats(path, notes)
        for entry, (bar, beat) in zip(truth, places):
            entry["bar"], entry["beat"] = bar, beat
        ref_path = os.path.join(args.out, "ref", name + ".mid")
        take_mid = os.path.join(args.out, "take", name + ".mid")
        audio = os.path.join(args.out, font, f"{name}-{instrument}." + ("ogg" if args.ogg else "flac"))
        write_reference(ref_path, reference, program, path)
        write_take(take_mid, performed, program)
        wav = os.path.splitext(audio)[0] + ".wav"
        render(font, take_mid, wav)
        codec = ["-c:a", "libvorbis", "-q:a", "2"] if args.ogg else []
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", wav, "-ac", "1"] + codec + [audio], check=True)
        os.remove(wav)
        def shown(p):
            return os.path.relpath(p, args.out) if args.relative else p
        labels.append({"name": name, "instrument": instrument, "soundfont": font, "reference": shown(ref_path),
                       "take": shown(audio), "tuning_cents": tuning, "tempo_ratio": 1 / ratio, "notes": truth,
                       "extra": extras, "performed": performed})
        print(f"{len(labels):3d} {name} {instrument} {font} ratio {1 / ratio:.2f} tuning {tuning:+.0f}", flush=True)
    with open(os.path.join(args.out, "labels.json"), "w") as out:
        json.dump(labels, out, indent=1)


if __name__ == "__main__":
    main()
