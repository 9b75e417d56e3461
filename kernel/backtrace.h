/* SPDX-License-Identifier: MIT */
/*
 * Stack backtraces by the frame-pointer chain (the kernel is built with -fno-omit-frame-pointer):
 * each frame holds the caller's RBP at [rbp] and the return address at [rbp+8]. Frames are read
 * with probe_read_u64, so a corrupt chain ends the walk instead of faulting.
 */
#ifndef WARDEN_BACKTRACE_H
#define WARDEN_BACKTRACE_H

#include "kernel/types.h"

/* Stores up to max return addresses found from rbp upwards; returns how many. */
int backtrace_walk(u64 rbp, u64 *addrs, int max);

#endif
