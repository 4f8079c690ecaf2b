#!/usr/bin/env python3
"""Runs the peer analysers on a set of audio files and writes their answers in the label format of
`aidj-bench eval`, so that aidj and its peers are scored on the same files in the same run.

Development only (aidj itself needs no Python). For each peer, writes OUT/PEER.csv (file,key,bpm,beats,
key_confidence) and OUT/PEER-beats/NAME.beats (`time<TAB>beat-in-bar`, 0 where a peer gives no bar position):
  madmom          RNN beats + DBN downbeats (4/4 and 3/4 bars), CNN key (Korzeniowski & Widmer 2017);
                  tempo = 60 / median beat interval
  essentia-edma   KeyExtractor, profile edma (Faraldo et al. 2016)
  essentia-bgate  KeyExtractor, profile bgate; RhythmExtractor2013 (multifeature) for tempo and beats
  librosa         beat_track (Ellis 2007) on the default onset envelope; no key

For unlabelled real recordings, madmom.csv doubles as the reference: `aidj-bench eval OUT/madmom.csv`.

Usage: peers.py LABELS.csv OUT [--peers madmom,essentia,librosa]     (files relative to LABELS.csv)
       peers.py --folder DIR OUT [...]                                 (every audio file below DIR)
"""

import argparse
import csv
import os
import sys
import time

import numpy as np

AUDIO = (".flac", ".ogg", ".opus", ".wav", ".mp3")
NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
FLATS = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb"}


def normalized_key(tonic, scale):
    tonic = FLATS.get(tonic, tonic)
    return f"{tonic} {scale.lower()}"


def write_beats(path, beats):
    with open(path, "w") as f:
        for t, position in beats:
            f.write(f"{t:.4f}\t{int(position)}\n")


class Madmom:
    name = "madmom"

    def __init__(self):
        from madmom.features.downbeats import RNNDownBeatProcessor, DBNDownBeatTrackingProcessor
        from madmom.features.key import CNNKeyRecognitionProcessor, key_prediction_to_label

        self.downbeat_rnn = RNNDownBeatProcessor()
        self.downbeat_dbn = DBNDownBeatTrackingProcessor(beats_per_bar=[3, 4], fps=100)
        self.key_cnn = CNNKeyRecognitionProcessor()
        self.key_label = key_prediction_to_label

    def run(self, path):
        activations = self.downbeat_rnn(path)
        beats = self.downbeat_dbn(activations)
        prediction = self.key_cnn(path)
        tonic, scale = self.key_label(prediction).split()
        times = beats[:, 0] if len(beats) else np.array([])
        bpm = 60 / np.median(np.diff(times)) if len(times) > 2 else 0
        return normalized_key(tonic, scale), float(np.max(prediction)), bpm, [(t, p) for t, p in beats]


class Essentia:
    def __init__(self, profile, rhythm):
        import essentia.standard as es

        self.es = es
        self.profile = profile
        self.rhythm = rhythm
        self.name = f"essentia-{profile}"

    def run(self, path):
        # Decoded with libsndfile (pysoundfile): Essentia's own loader crashes on Opus and cannot read some Ogg.
        import soundfile

        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
        audio = samples.mean(axis=1).astype(np.float32)
        if rate != 44100:
            audio = self.es.Resample(inputSampleRate=rate, outputSampleRate=44100)(audio)
        key, scale, strength = self.es.KeyExtractor(profileType=self.profile)(audio)
        bpm, beats = 0.0, []
        if self.rhythm:
            bpm, ticks, _, _, _ = self.es.RhythmExtractor2013(method="multifeature")(audio)
            beats = [(t, 0) for t in ticks]
        return normalized_key(key, scale), float(strength), float(bpm), beats


class Librosa:
    name = "librosa"

    def run(self, path):
        import librosa

        y, sr = librosa.load(path, sr=22050, mono=True)
        tempo, frames = librosa.beat.beat_track(y=y, sr=sr)
        times = librosa.frames_to_time(frames, sr=sr)
        return "", 0.0, float(np.atleast_1d(tempo)[0]), [(t, 0) for t in times]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("labels", nargs="?")
    parser.add_argument("out")
    parser.add_argument("--folder")
    parser.add_argument("--peers", default="madmom,essentia,librosa")
    args = parser.parse_args()
    if args.folder:
        root = args.folder
        files = sorted(
            os.path.relpath(os.path.join(d, f), root)
            for d, _, names in os.walk(root) for f in names if f.lower().endswith(AUDIO))
    else:
        root = os.path.dirname(os.path.abspath(args.labels))
        with open(args.labels) as f:
            files = [row["file"] for row in csv.DictReader(f)]
    peers = []
    for name in args.peers.split(","):
        if name == "madmom":
            peers.append(Madmom())
        elif name == "essentia":
            peers += [Essentia("edma", False), Essentia("bgate", True)]
        elif name == "librosa":
            peers.append(Librosa())
    os.makedirs(args.out, exist_ok=True)
    for peer in peers:
        beats_dir = os.path.join(args.out, f"{peer.name}-beats")
        os.makedirs(beats_dir, exist_ok=True)
        rows, seconds = [], 0.0
        for file in files:
            path = os.path.join(root, file)
            started = time.process_time()
            try:
                key, confidence, bpm, beats = peer.run(path)
            except Exception as error:  # noqa: BLE001 - a file a peer cannot read is reported, not fatal
                print(f"{peer.name}: {file}: {error}", file=sys.stderr)
                continue
            seconds += time.process_time() - started
            stem = os.path.splitext(file)[0].replace("/", "_")
            beats_file = os.path.join(beats_dir, stem + ".beats")
            write_beats(beats_file, beats)
            rows.append([os.path.abspath(path), key, f"{bpm:.3f}", os.path.abspath(beats_file), f"{confidence:.4f}"])
        with open(os.path.join(args.out, f"{peer.name}.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["file", "key", "bpm", "beats", "key_confidence"])
            writer.writerows(rows)
        print(f"{peer.name}: {len(rows)} files, {seconds:.1f} s CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
