#!/usr/bin/env python3
"""Rewrites a takes.py label file to the pitches the soundfonts actually sound, for `aidj-bench assess`.

takes.py writes each note's truth from the MIDI it plays: the key and the pitch bend. A soundfont's samples are
not all in tune, so a note bent +47 cents on a key whose sample is 6 cents sharp sounds 53 cents sharp: the
neighbouring semitone to any ear, while the written label says "right pitch, +47". Near the ±50-cent line the
written truth is then not the audio's.

This script measures each sample it needs on its own: fluidsynth renders every (soundfont, GM program, key) that
the takes play as a plain 1 s note without bend, and librosa's YIN (de Cheveigné & Kawahara 2002, with parabolic
interpolation, so not quantized to pitch bins) reads the median f0 over its steady middle (0.35–0.85 s). The
sounded truth of a note is then its key plus bend plus its sample's offset, taken against the take's sounded
tuning: the written tuning plus the duration-weighted mean of its notes' sample offsets (as aidj measures a take's
tuning from its notes). A note is re-labelled right or wrong pitch from that, and the performed notes' Hz (for raw
pitch accuracy) move by the same offsets. Onsets, missed and extra notes are untouched.

Then each played note is looked for in the take itself: a note whose pitch the render never holds within 50 cents
for 30 ms (three YIN frames of 46 ms at 10 ms hops) anywhere between its onset and the next note's is marked
`"sounded": false`, and `aidj-bench assess` leaves it out of its tallies. MuseScore's "ooh" glides from one note to
the next over 100 ms or more, so in a fast reel some sixteenths never reach their pitch at all: there the written
label ("right pitch") is not what sounds, and no reading of the audio is the right one.

Usage: sounded.py LABELS.json OUT.json       (development only; aidj itself needs no Python)

Prints the offsets it measured (median and p90 of |offset|, the labels that changed) so they can be reported.
"""

import collections
import json
import math
import os
import sys
import tempfile

import librosa
import mido
import numpy as np
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from takes import INSTRUMENTS, read_melody, render  # noqa: E402

NOTE_SECONDS, GAP_SECONDS = 1.0, 0.3
STEADY = (0.35, 0.85)
HELD_FRAMES, HOP_SECONDS, FRAME_SECONDS = 3, 0.01, 0.046


def measure(font, program, keys):
    """{key: cents the sample sounds above equal temperament at A4 = 440 Hz} for one soundfont and program."""
    keys = sorted(keys)
    with tempfile.TemporaryDirectory() as tmp:
        mid = mido.MidiFile(ticks_per_beat=480)
        track = mido.MidiTrack()
        mid.tracks.append(track)
        track.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))  # 960 ticks per second
        track.append(mido.Message("program_change", program=program, time=0))
        for key in keys:
            track.append(mido.Message("note_on", note=key, velocity=90, time=int(GAP_SECONDS * 960)))
            track.append(mido.Message("note_off", note=key, velocity=0, time=int(NOTE_SECONDS * 960)))
        path = os.path.join(tmp, "scale.mid")
        mid.save(path)
        wav = os.path.join(tmp, "scale.wav")
        render(font, path, wav)
        audio, rate = soundfile.read(wav)
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    offsets = {}
    for n, key in enumerate(keys):
        start = (n + 1) * GAP_SECONDS + n * NOTE_SECONDS
        a, b = int((start + STEADY[0]) * rate), int((start + STEADY[1]) * rate)
        expected = 440 * 2 ** ((key - 69) / 12)
        f0 = librosa.yin(audio[a:b], fmin=expected / 1.5, fmax=expected * 1.5, sr=rate, frame_length=4096,
                         hop_length=256)
        offsets[key] = 1200 * math.log2(float(np.median(f0)) / expected)
    return offsets


def played_pairs(take):
    """The reference notes that were played, in order, each with the performed note that plays it (extras left
    out): the same sequence, since takes.py shifts an onset by at most 40 % of the gap to a neighbour."""
    extras = {round(e["time_s"], 6) for e in take["extra"]}
    played = [n for n in take["notes"] if n["status"] != "missed"]
    own = [n for n in take["performed"] if round(n["onset"], 6) not in extras]
    assert len(played) == len(own), take["name"]
    return list(zip(played, own))


def slot_end(take, note):
    """Where a performed note's slot ends (s): the next performed note's onset, or 100 ms after the last note."""
    later = [n["onset"] for n in take["performed"] if n["onset"] > note["onset"]]
    return min(later) if later else note["end"] + 0.1


def take_audio(labels_path, take):
    """The take's samples (mono) and rate; its path is relative to the label file."""
    audio, rate = soundfile.read(os.path.join(os.path.dirname(os.path.abspath(labels_path)), take["take"]))
    return (audio.mean(axis=1) if audio.ndim > 1 else audio), rate


def held(audio, rate, hz, start, stop):
    """Whether the audio holds `hz` within 50 cents for HELD_FRAMES frames in a row between start and stop (s)."""
    hop, frame = int(HOP_SECONDS * rate), 2 ** round(math.log2(FRAME_SECONDS * rate))  # 2048 at 44.1 kHz
    segment = audio[max(0, int(start * rate) - frame // 2):int(stop * rate) + frame // 2]
    if len(segment) < frame + HELD_FRAMES * hop:
        return True  # too short to tell: keep the note
    f0 = librosa.yin(segment, fmin=hz / 1.6, fmax=hz * 1.6, sr=rate, frame_length=frame, hop_length=hop,
                     center=False)
    run = 0
    for near in np.abs(1200 * np.log2(f0 / hz)) <= 50:
        run = run + 1 if near else 0
        if run >= HELD_FRAMES:
            return True
    return False


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sounded.py LABELS.json OUT.json")
    labels = json.load(open(sys.argv[1]))
    needed = {}
    for take in labels:
        program = INSTRUMENTS[take["instrument"]][0]
        needed.setdefault((take["soundfont"], program), set()).update(n["pitch"] for n in take["performed"])
    offsets = {(font, program, key): cents
               for (font, program), keys in sorted(needed.items())
               for key, cents in measure(font, program, keys).items()}
    changed, notes = 0, 0
    unsounded = collections.Counter()
    for take in labels:
        program = INSTRUMENTS[take["instrument"]][0]
        tuning = take["tuning_cents"]
        performed = take["performed"]
        path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), take["reference"])
        reference = [p for _, _, p in read_melody(path, len(take["notes"]))]

        def offset(note):
            return offsets[(take["soundfont"], program, note["pitch"])]

        weights = [n["end"] - n["onset"] for n in performed]
        sounded_tuning = tuning + sum(w * offset(n) for w, n in zip(weights, performed)) / sum(weights)
        pairs = played_pairs(take)
        for entry, note in pairs:
            written = entry["played_pitch"] + entry["cents"] / 100
            assert abs(note["pitch"] + (note["bend"] - tuning) / 100 - written) < 1e-6, take["name"]
            heard = note["pitch"] + (note["bend"] + offset(note) - sounded_tuning) / 100
            status = "ok" if round(heard) == reference[entry["index"]] else "wrong_pitch"
            changed += status != entry["status"]
            notes += 1
            entry["played_pitch"], entry["cents"], entry["status"] = int(round(heard)), 100 * (heard - round(heard)), status
        for note in performed:
            note["hz"] *= 2 ** (offset(note) / 1200)
        take["tuning_cents"] = sounded_tuning
        audio, rate = take_audio(sys.argv[1], take)
        for entry, note in pairs:
            if not held(audio, rate, note["hz"], note["onset"], slot_end(take, note)):
                entry["sounded"] = False
                unsounded[(take["instrument"], take["soundfont"])] += 1
    json.dump(labels, open(sys.argv[2], "w"), indent=1)
    values = np.abs(np.array(list(offsets.values())))
    print(f"samples measured: {len(values)}; |offset| median {np.median(values):.1f} cents, "
          f"p90 {np.percentile(values, 90):.1f}, max {values.max():.1f}")
    print(f"notes whose right/wrong label changed: {changed} of {notes}")
    print(f"notes the render never holds at their pitch (left out): {sum(unsounded.values())} of {notes}; "
          + ", ".join(f"{i} {f} {n}" for (i, f), n in sorted(unsounded.items())))


if __name__ == "__main__":
    main()
