// Embedded cover art through TagLib's C++ API: its C binding (tag_c) has no pictures before TagLib 2.
#include "tag_art.h"

#include <cstdlib>
#include <cstring>

#include <taglib/aifffile.h>
#include <taglib/attachedpictureframe.h>
#include <taglib/fileref.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4coverart.h>
#include <taglib/mp4file.h>
#include <taglib/mp4tag.h>
#include <taglib/mpegfile.h>
#include <taglib/oggflacfile.h>
#include <taglib/opusfile.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/xiphcomment.h>

using namespace TagLib;

namespace {

/// The best picture seen so far: a front cover beats any other, else the first one wins.
struct Choice {
    ByteVector data;
    String mime;
    bool found = false;
    bool front = false;

    void consider(const ByteVector &bytes, const String &type, bool isFront) {
        if (bytes.isEmpty()) return;
        if (found && (front || !isFront)) return;
        data = bytes;
        mime = type;
        found = true;
        front = isFront;
    }
};

void fromID3v2(ID3v2::Tag *tag, Choice &choice) {
    if (!tag) return;
    const ID3v2::FrameList &frames = tag->frameListMap()["APIC"];
    for (ID3v2::Frame *frame : frames) {
        auto *picture = dynamic_cast<ID3v2::AttachedPictureFrame *>(frame);
        if (!picture) continue;
        choice.consider(
            picture->picture(), picture->mimeType(),
            picture->type() == ID3v2::AttachedPictureFrame::FrontCover);
    }
}

void fromPictures(List<FLAC::Picture *> pictures, Choice &choice) {
    for (FLAC::Picture *picture : pictures) {
        choice.consider(picture->data(), picture->mimeType(), picture->type() == FLAC::Picture::FrontCover);
    }
}

void fromXiph(Ogg::XiphComment *comment, Choice &choice) {
    if (comment) fromPictures(comment->pictureList(), choice);
}

void fromMP4(MP4::Tag *tag, Choice &choice) {
    if (!tag || !tag->contains("covr")) return;
    for (const MP4::CoverArt &art : tag->item("covr").toCoverArtList()) {
        const char *mime = "";
        switch (art.format()) {
        case MP4::CoverArt::JPEG: mime = "image/jpeg"; break;
        case MP4::CoverArt::PNG: mime = "image/png"; break;
        case MP4::CoverArt::GIF: mime = "image/gif"; break;
        case MP4::CoverArt::BMP: mime = "image/bmp"; break;
        default: break;
        }
        // MP4 has no picture types: the first is the cover.
        choice.consider(art.data(), mime, true);
    }
}

int find(const char *path, aidj_picture *out) {
    FileRef ref(path, false);
    if (ref.isNull() || !ref.file() || !ref.file()->isValid()) return -1;
    File *file = ref.file();
    Choice choice;
    if (auto *mpeg = dynamic_cast<MPEG::File *>(file)) {
        if (mpeg->hasID3v2Tag()) fromID3v2(mpeg->ID3v2Tag(), choice);
    } else if (auto *flac = dynamic_cast<FLAC::File *>(file)) {
        fromPictures(flac->pictureList(), choice);
        if (flac->hasXiphComment()) fromXiph(flac->xiphComment(), choice);
        if (flac->hasID3v2Tag()) fromID3v2(flac->ID3v2Tag(), choice);
    } else if (auto *vorbis = dynamic_cast<Ogg::Vorbis::File *>(file)) {
        fromXiph(vorbis->tag(), choice);
    } else if (auto *opus = dynamic_cast<Ogg::Opus::File *>(file)) {
        fromXiph(opus->tag(), choice);
    } else if (auto *oggFlac = dynamic_cast<Ogg::FLAC::File *>(file)) {
        fromXiph(oggFlac->tag(), choice);
    } else if (auto *mp4 = dynamic_cast<MP4::File *>(file)) {
        fromMP4(mp4->tag(), choice);
    } else if (auto *wav = dynamic_cast<RIFF::WAV::File *>(file)) {
        if (wav->hasID3v2Tag()) fromID3v2(wav->ID3v2Tag(), choice);
    } else if (auto *aiff = dynamic_cast<RIFF::AIFF::File *>(file)) {
        if (aiff->hasID3v2Tag()) fromID3v2(aiff->tag(), choice);
    }
    if (!choice.found) return 0;
    if (!out) return 1;
    out->size = choice.data.size();
    out->data = static_cast<unsigned char *>(std::malloc(out->size));
    if (!out->data) return -1;
    std::memcpy(out->data, choice.data.data(), out->size);
    std::string mime = choice.mime.to8Bit(true);
    std::strncpy(out->mime, mime.c_str(), sizeof(out->mime) - 1);
    out->mime[sizeof(out->mime) - 1] = 0;
    return 1;
}

}  // namespace

extern "C" int aidj_embedded_picture(const char *path, aidj_picture *picture) {
    if (picture) {
        picture->data = nullptr;
        picture->size = 0;
        picture->mime[0] = 0;
    }
    try {
        return find(path, picture);
    } catch (...) {
        return -1;
    }
}

extern "C" void aidj_picture_free(aidj_picture *picture) {
    if (!picture) return;
    std::free(picture->data);
    picture->data = nullptr;
    picture->size = 0;
}
