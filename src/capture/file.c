/*
 * file.c — the FILE libpcap reads from, counting its own position.
 *
 * A damaged file is reported at the byte offset of the record that broke, so
 * the offset after every record is needed. ftell() on a plain FILE costs an
 * lseek() system call per frame; a cookie stream answers it from a counter.
 */
#define _GNU_SOURCE
#include "capture/cap_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct counted_fd {
	int fd;
	off64_t pos;
};

static ssize_t cookie_read(void *ck, char *buf, size_t n)
{
	struct counted_fd *f = ck;
	ssize_t r;
	do
		r = read(f->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		f->pos += r;
	return r;
}

static int cookie_seek(void *ck, off64_t *off, int whence)
{
	struct counted_fd *f = ck;
	if (whence == SEEK_CUR && *off == 0) {
		*off = f->pos;
		return 0;
	}
	off64_t r = lseek(f->fd, *off, whence);
	if (r < 0)
		return -1;
	f->pos = r;
	*off = r;
	return 0;
}

static int cookie_close(void *ck)
{
	struct counted_fd *f = ck;
	int r = close(f->fd);
	free(f);
	return r;
}

FILE *ike_cap_fopen(const char *path)
{
	struct counted_fd *f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	f->pos = 0;
	if (f->fd < 0) {
		int e = errno;
		free(f);
		errno = e;
		return NULL;
	}
	cookie_io_functions_t io = {.read = cookie_read, .seek = cookie_seek, .close = cookie_close};
	FILE *fp = fopencookie(f, "r", io);
	if (!fp) {
		close(f->fd);
		free(f);
		errno = ENOMEM;
	}
	return fp;
}
