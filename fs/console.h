/* SPDX-License-Identifier: MIT */
/*
 * The console, as files. Fds 0, 1 and 2 of the first task stand for what run-program gives a
 * program on Linux: an empty regular file opened O_RDONLY (reads are end-of-file) and two
 * regular files opened O_WRONLY whose bytes go to user_console_write(CONSOLE_STDOUT or
 * CONSOLE_STDERR). They behave as such files do (fstat: S_IFREG 0644 and a size that grows
 * with what was written; lseek works; no terminal ioctls: ENOTTY). In the kernel /dev/console
 * (5:1) is the terminal ttyS0 (drivers/tty); in the host tests it is a
 * character device: reads are end-of-file, writes go to stdout's stream, no lseek.
 */
#ifndef WARDEN_FS_CONSOLE_H
#define WARDEN_FS_CONSOLE_H

#include "fs/vfs.h"

/* The file for descriptor fd (0, 1 or 2) of the first task; NULL without memory. */
struct file *console_stdio_open(unsigned int fd);

/* The operations of the /dev/console device. */
extern const struct file_operations console_fops;

#endif
