#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An embedded picture: its bytes (malloc'd; release with aidj_picture_free) and the MIME type the tag gives
/// (may be empty).
typedef struct aidj_picture {
    unsigned char *data;
    size_t size;
    char mime[64];
} aidj_picture;

/// The file's embedded cover (the front cover when there are several pictures, else the first), read with
/// TagLib from ID3v2 (MP3, WAV, AIFF, FLAC), FLAC picture blocks, Vorbis comments (Ogg Vorbis, Opus, Ogg FLAC)
/// or MP4 `covr`. With `picture` NULL it only says whether there is one.
/// Returns 1 when a picture was found, 0 when the file has none, -1 when TagLib cannot read the file.
int aidj_embedded_picture(const char *path, aidj_picture *picture);

void aidj_picture_free(aidj_picture *picture);

#ifdef __cplusplus
}
#endif
