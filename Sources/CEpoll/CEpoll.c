#define _GNU_SOURCE
#include <sys/socket.h>
#include "CEpoll.h"

int shoal_accept4(int descriptor, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(descriptor, address, (socklen_t *)length, flags);
}
