#ifndef SHOAL_CFFMPEG_SHIM_H
#define SHOAL_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>

#endif
