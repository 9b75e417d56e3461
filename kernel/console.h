/* SPDX-License-Identifier: MIT */
/*
 * The console as user programs see it (fds 0-2 of the first task). Writes to stdout and stderr go
 * to their own serial ports when tools/run-program asked for that (user_console=split: COM2 for
 * fd 1's stream, COM3 for fd 2's) so that a program's output is never mixed with kernel messages;
 * otherwise both go to COM1 with the kernel log. Reads return end-of-file (stdin is empty).
 * tools/run-program replaces fd 0 with its stdin file (init_stdin=), and in its terminal mode
 * all three with /dev/console, the tty (user_console=tty, console=ttyS1: kernel/init.c).
 */
#ifndef WARDEN_CONSOLE_H
#define WARDEN_CONSOLE_H

#include "kernel/types.h"

#define CONSOLE_STDOUT 1
#define CONSOLE_STDERR 2

/* Sets up the user console from the command line (user_console=). */
void user_console_init(void);

/* Writes len bytes of a user program's output to stream 1 (stdout) or 2 (stderr), unchanged. */
void user_console_write(int stream, const char *buf, size_t len);

#endif
