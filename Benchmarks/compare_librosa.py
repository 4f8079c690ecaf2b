#!/usr/bin/env python3
"""Times librosa (and, when installed, Essentia) doing aidj's analysis on the same files, one core.

Development-time comparison only: aidj never needs Python. Usage:

    .build/release/aidj-bench speed --tracks 4 --keep /tmp/aidj-bench-files
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 Benchmarks/compare_librosa.py /tmp/aidj-bench-files/library/wav

"The same work" per file, as aidj does it: decode, mono mixdown and resampling to 22 050 Hz (soxr), an STFT
(Hann 2048 / hop 512), 128 mel bands and 20 MFCC, chroma, spectral centroid, bandwidth, roll-off, flatness,
zero-crossing rate and RMS, the onset envelope, tempo and beat tracking, and integrated loudness
(pyloudnorm, BS.1770) on the original signal. Key detection has no librosa counterpart (Essentia's is timed
separately).
"""
import glob
import os
import sys
import time

import numpy as np


def librosa_analysis(path):
    import librosa
    import soundfile as sf

    stereo, rate = sf.read(path, dtype="float32", always_2d=True)
    loudness = None
    try:
        import pyloudnorm

        loudness = pyloudnorm.Meter(rate).integrated_loudness(stereo)
    except ImportError:
        pass
    y = librosa.resample(stereo.mean(axis=1), orig_sr=rate, target_sr=22050, res_type="soxr_mq")
    S = np.abs(librosa.stft(y, n_fft=2048, hop_length=512))
    power = S**2
    mel = librosa.feature.melspectrogram(S=power, sr=22050, n_mels=128)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    chroma = librosa.feature.chroma_stft(S=power, sr=22050)
    features = [
        librosa.feature.spectral_centroid(S=S, sr=22050),
        librosa.feature.spectral_bandwidth(S=S, sr=22050),
        librosa.feature.spectral_rolloff(S=S, sr=22050),
        librosa.feature.spectral_flatness(S=S),
        librosa.feature.zero_crossing_rate(y),
        librosa.feature.rms(S=S),
    ]
    onset = librosa.onset.onset_strength(S=librosa.power_to_db(mel), sr=22050)
    tempo, beats = librosa.beat.beat_track(onset_envelope=onset, sr=22050)
    return float(np.atleast_1d(tempo)[0]), len(beats), loudness, mfcc.shape, chroma.shape, len(features)


def essentia_analysis(path):
    import essentia.standard as es

    audio = es.MonoLoader(filename=path, sampleRate=22050)()
    rhythm = es.RhythmExtractor2013(method="multifeature")(audio)
    key = es.KeyExtractor()(audio)
    stereo, rate, *_ = es.AudioLoader(filename=path)()
    loudness = es.LoudnessEBUR128(sampleRate=rate)(stereo)
    return rhythm[0], key[0], key[1], loudness[2]


def time_all(name, function, files):
    durations = 0.0
    import soundfile as sf

    for path in files:
        durations += sf.info(path).duration
    function(files[0])  # warm-up (imports, caches)
    start = time.perf_counter()
    for path in files:
        function(path)
    elapsed = time.perf_counter() - start
    print(f"{name}: {durations:.0f} s of audio in {elapsed:.2f} s = {durations / elapsed:.0f}x realtime (one core)")


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    files = sorted(glob.glob(os.path.join(folder, "*.wav")) + glob.glob(os.path.join(folder, "*.flac")))
    if not files:
        sys.exit(f"no .wav or .flac files in {folder}")
    time_all("librosa", librosa_analysis, files)
    try:
        import essentia  # noqa: F401

        time_all("essentia", essentia_analysis, files)
    except ImportError:
        print("essentia: not installed (pip install essentia)")


if __name__ == "__main__":
    main()
