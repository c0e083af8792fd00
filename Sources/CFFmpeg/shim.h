#ifndef SHOAL_CFFMPEG_SHIM_H
#define SHOAL_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>

// The major versions of the headers Shoal was built against; the run-time libraries are opened by these
// sonames (libavformat.so.<major>) so that their ABI matches the headers.
static const int shoal_avformat_major = LIBAVFORMAT_VERSION_MAJOR;
static const int shoal_avcodec_major = LIBAVCODEC_VERSION_MAJOR;
static const int shoal_avutil_major = LIBAVUTIL_VERSION_MAJOR;

#endif
