// epoll, eventfd and accept4 for the tracker's HTTP workers (Glibc's Swift module leaves them out).
#ifndef SHOAL_CEPOLL_H
#define SHOAL_CEPOLL_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

struct sockaddr;

/// accept4(2) (declared by Glibc only under _GNU_SOURCE); `length` is a socklen_t.
int shoal_accept4(int descriptor, struct sockaddr *address, unsigned int *length, int flags);

#endif
