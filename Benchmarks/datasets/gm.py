"""General MIDI renderers shared by the dataset scripts (development only; aidj itself needs no Python).

`render(font, midi_path, audio_path, gain)` writes a 44.1 kHz FLAC of a MIDI file through one of RENDERERS:
- fluid, timgm, musescore: fluidsynth through the GM soundfonts the fits and thresholds were developed on;
- csound, opl3: fluidsynth through two GM banks held out of every fit (Debian csound-soundfont, opl3-soundfont:
  an FM-synthesis bank). csound's bank shares many of TimGM6mb's samples: the waveforms of the same grooves
  rendered through the two correlate at a median 0.92 (opl3 against TimGM6mb: −0.02), so it is a weak test of a
  new timbre;
- freepats: TiMidity++ through Debian's freepats, a third held-out bank of Gravis-style patches, rendered by a
  different synthesizer. freepats has patches for 72 of the 128 melodic programs; each missing one plays the
  nearest patch of its own GM family (eight programs: pianos, basses, strings, …), else the nearest patch of all,
  so no part falls silent. Its drum kit has every GM voice the generators use.
"""

import functools
import os
import subprocess

import soundfile

SOUNDFONTS = {
    "fluid": "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "timgm": "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "musescore": "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3",
    # Held out of every fit: Debian csound-soundfont (close to TimGM6mb, see above) and opl3-soundfont.
    "csound": "/usr/share/sounds/sf2/sf_GMbank.sf2",
    "opl3": "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2",
}
FREEPATS_CONFIG = "/etc/timidity/freepats.cfg"  # Debian: timidity, freepats
RENDERERS = sorted(SOUNDFONTS) + ["freepats"]


def fonts(argument):
    """The renderers named in a comma-separated --soundfonts ARGUMENT, each checked against RENDERERS."""
    names = argument.split(",")
    for name in names:
        if name not in RENDERERS:
            raise SystemExit(f"unknown soundfont '{name}' (choose from {', '.join(RENDERERS)})")
    return names


@functools.lru_cache(maxsize=None)
def freepats_config(directory):
    """A TiMidity++ configuration in DIRECTORY: freepats, with every missing melodic program mapped as above.
    Written once per directory and run."""
    present, patch_dir, section = {}, None, None
    with open(FREEPATS_CONFIG) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if words[0] == "dir":
                patch_dir = words[1]
            elif words[0] in ("bank", "drumset"):
                section = (words[0], int(words[1]))
            elif section == ("bank", 0) and words[0].isdigit():
                present[int(words[0])] = " ".join(words[1:])
    if not present:
        raise SystemExit(f"{FREEPATS_CONFIG} has no melodic patches (apt install freepats)")
    lines = [f"source {FREEPATS_CONFIG}", f"dir {patch_dir}", "bank 0"]
    for program in range(128):
        if program in present:
            continue
        family = [p for p in present if p // 8 == program // 8] or list(present)
        stand_in = min(family, key=lambda p: (abs(p - program), p))
        lines.append(f" {program}\t{present[stand_in]}")
    path = os.path.join(directory, "freepats-gm.cfg")
    text = "\n".join(lines) + "\n"
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, "w") as f:
            f.write(text)
    return path


def render(font, midi_path, audio_path, gain=0.5):
    """Renders MIDI_PATH through FONT (one of RENDERERS) to AUDIO_PATH, a 44.1 kHz FLAC."""
    if font == "freepats":
        config = freepats_config(os.path.dirname(os.path.abspath(audio_path)))
        # -A: TiMidity++'s amplification in percent; gain 0.5 gives 100, which rendered a drum-and-bass groove
        # 3 dB under fluidsynth's FluidR3 render at gain 0.5 (RMS 0.071 against 0.099), with no clipping.
        # TiMidity++ drops a file's initial silence unless told not to, which would shift every labelled beat;
        # its own FLAC leaves the length out of the stream header, so write WAV and convert.
        wav_path = audio_path + ".wav"
        subprocess.run(["timidity", "-c", config, "-A", str(round(gain * 200)), "-s", "44100", "--preserve-silence",
                        "-Ow", "-o", wav_path, midi_path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        audio, rate = soundfile.read(wav_path, dtype="int16")
        soundfile.write(audio_path, audio, rate, format="FLAC", subtype="PCM_16")
        os.remove(wav_path)
    else:
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", str(gain), "-r", "44100", "-F", audio_path,
                        SOUNDFONTS[font], midi_path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
