#ifndef SHOAL_CFFMPEG_SHIM_H
#define SHOAL_CFFMPEG_SHIM_H

#include <dlfcn.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

// The major versions of the headers Shoal was built against; the run-time libraries are opened by these
// sonames (libavformat.so.<major>) so that their ABI matches the headers.
static const int shoal_avformat_major = LIBAVFORMAT_VERSION_MAJOR;
static const int shoal_avcodec_major = LIBAVCODEC_VERSION_MAJOR;
static const int shoal_avutil_major = LIBAVUTIL_VERSION_MAJOR;
static const int shoal_swscale_major = LIBSWSCALE_VERSION_MAJOR;
static const int shoal_swresample_major = LIBSWRESAMPLE_VERSION_MAJOR;

// Macros Swift cannot import.
static const int shoal_averror_eof = AVERROR_EOF;
static const int shoal_averror_eagain = AVERROR(EAGAIN);
static const int64_t shoal_nopts_value = AV_NOPTS_VALUE;

// Every FFmpeg function Shoal calls, with the library that exports it. The libraries are opened at run
// time (MediaIngest/FFmpegLibraries.swift), so Swift calls them through this table of pointers, whose
// types come from the headers' own declarations. Add new functions at the end: an incremental build does
// not always recompile every Swift file that reads the table, and a field that moved calls the wrong function
// (after an insertion elsewhere, build clean).
#define SHOAL_FFMPEG_FUNCTIONS(X) \
    X(avutil, avutil_version) \
    X(avutil, av_log_set_level) \
    X(avutil, av_strerror) \
    X(avutil, av_malloc) \
    X(avutil, av_free) \
    X(avutil, av_dict_set) \
    X(avutil, av_dict_free) \
    X(avutil, av_frame_alloc) \
    X(avutil, av_frame_free) \
    X(avutil, av_frame_unref) \
    X(avutil, av_frame_get_buffer) \
    X(avutil, av_frame_make_writable) \
    X(avutil, av_rescale_q) \
    X(avutil, av_rescale_q_rnd) \
    X(avutil, av_opt_set) \
    X(avutil, av_opt_set_int) \
    X(avutil, av_get_pix_fmt_name) \
    X(avutil, av_get_sample_fmt_name) \
    X(avutil, av_channel_layout_default) \
    X(avutil, av_channel_layout_copy) \
    X(avutil, av_channel_layout_uninit) \
    X(avutil, av_audio_fifo_alloc) \
    X(avutil, av_audio_fifo_free) \
    X(avutil, av_audio_fifo_write) \
    X(avutil, av_audio_fifo_read) \
    X(avutil, av_audio_fifo_size) \
    X(avcodec, avcodec_version) \
    X(avcodec, av_packet_alloc) \
    X(avcodec, av_packet_free) \
    X(avcodec, av_packet_unref) \
    X(avcodec, av_packet_rescale_ts) \
    X(avcodec, av_packet_move_ref) \
    X(avcodec, avcodec_find_decoder) \
    X(avcodec, avcodec_find_encoder_by_name) \
    X(avcodec, avcodec_alloc_context3) \
    X(avcodec, avcodec_free_context) \
    X(avcodec, avcodec_parameters_to_context) \
    X(avcodec, avcodec_parameters_from_context) \
    X(avcodec, avcodec_parameters_copy) \
    X(avcodec, avcodec_open2) \
    X(avcodec, avcodec_send_packet) \
    X(avcodec, avcodec_receive_frame) \
    X(avcodec, avcodec_send_frame) \
    X(avcodec, avcodec_receive_packet) \
    X(avcodec, avcodec_get_name) \
    X(avformat, avformat_version) \
    X(avformat, avformat_open_input) \
    X(avformat, avformat_find_stream_info) \
    X(avformat, avformat_close_input) \
    X(avformat, av_find_best_stream) \
    X(avformat, av_read_frame) \
    X(avformat, avformat_alloc_output_context2) \
    X(avformat, avformat_new_stream) \
    X(avformat, avformat_write_header) \
    X(avformat, av_write_frame) \
    X(avformat, av_write_trailer) \
    X(avformat, avformat_free_context) \
    X(avformat, avio_alloc_context) \
    X(avformat, avio_context_free) \
    X(avformat, avio_flush) \
    X(avformat, avformat_index_get_entries_count) \
    X(avformat, avformat_index_get_entry) \
    X(avformat, av_guess_frame_rate) \
    X(avformat, av_probe_input_format2) \
    X(swscale, sws_getContext) \
    X(swscale, sws_scale) \
    X(swscale, sws_freeContext) \
    X(swresample, swr_alloc_set_opts2) \
    X(swresample, swr_init) \
    X(swresample, swr_convert) \
    X(swresample, swr_get_delay) \
    X(swresample, swr_free)

// The table: one non-null pointer per function, typed as the header declares it.
typedef struct ShoalFFmpeg {
#define SHOAL_FFMPEG_FIELD(library, name) __typeof__(&name) _Nonnull name;
    SHOAL_FFMPEG_FUNCTIONS(SHOAL_FFMPEG_FIELD)
#undef SHOAL_FFMPEG_FIELD
} ShoalFFmpeg;

// Fills `table` from the opened libraries; returns the name of the first function missing, or NULL.
static inline const char *_Nullable shoal_ffmpeg_bind(
    ShoalFFmpeg *_Nonnull table, void *_Nonnull avutil, void *_Nonnull avcodec, void *_Nonnull avformat,
    void *_Nonnull swscale, void *_Nonnull swresample) {
#define SHOAL_FFMPEG_BIND(library, name) \
    table->name = (__typeof__(&name))dlsym(library, #name); \
    if (table->name == NULL) return #name;
    SHOAL_FFMPEG_FUNCTIONS(SHOAL_FFMPEG_BIND)
#undef SHOAL_FFMPEG_BIND
    return NULL;
}

#endif
