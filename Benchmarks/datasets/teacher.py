#!/usr/bin/env python3
"""Renders the reference of every take of takes.py as a teacher's recording, for `aidj-bench assess --recording`.

A teacher plays the reference as written on the student's instrument: each take's reference MIDI (which names the
instrument's GM program) is rendered through the take's soundfont by the same fluidsynth call as the takes. The
label file is copied with a `reference_audio` path per take, so `aidj-bench assess OUT.json --recording` grades
every take against the recording, as `aidj assess take.wav --reference teacher.wav` does, and scores the grades
against the same truth as the MIDI-referenced run.

Usage: teacher.py LABELS.json OUT.json          (development only; aidj itself needs no Python)
Writes the recordings to a `teacher/` folder beside OUT.json.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from takes import render  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    labels = json.load(open(source))
    base = os.path.dirname(os.path.abspath(source))
    folder = os.path.join(os.path.dirname(os.path.abspath(target)), "teacher")
    os.makedirs(folder, exist_ok=True)
    for take in labels:
        reference = take["reference"] if os.path.isabs(take["reference"]) else os.path.join(base, take["reference"])
        name = os.path.splitext(os.path.basename(reference))[0]
        wav = os.path.join(folder, f"{name}-{take['instrument']}-{take['soundfont']}.wav")
        if not os.path.exists(wav):  # rendered under another name first, so a broken run leaves no half file
            partial = wav[: -len(".wav")] + ".partial.wav"
            render(take["soundfont"], reference, partial)
            os.replace(partial, wav)
        take["reference"] = reference
        take["take"] = take["take"] if os.path.isabs(take["take"]) else os.path.join(base, take["take"])
        take["reference_audio"] = wav
        print(wav, flush=True)
    json.dump(labels, open(target, "w"), indent=1)


if __name__ == "__main__":
    main()
