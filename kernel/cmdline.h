/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: space-separated words "key=value" or "flag", values optionally in
 * double quotes. Known keys: test= (self-tests to run: all, or names/prefix* separated by
 * commas), seed= (self-test random seed), loglevel= (0-7, console verbosity), debug_vm (check
 * every address space after each change, mm/vma.h), poison (fill uninitialised kernel memory
 * with a pattern and panic if a copy to user space carries it, mm/poison.h), fault_sleep (a
 * fault of a kernel access to user memory yields the CPU first, mm/fault.c), clearcpuid=
 * (CPU features the kernel ignores, arch/x86_64/cpufeature.c).
 */
#ifndef WARDEN_CMDLINE_H
#define WARDEN_CMDLINE_H

#include "kernel/types.h"

#define CMDLINE_MAX_PARAMS 32

/* Splits s into parameters (copied; s may go away). Later duplicates of a key win. */
void cmdline_parse(const char *s);

/* The value of key: NULL if absent, "" for a bare flag. */
const char *cmdline_get(const char *key);

/* Reads key as a number (decimal, or hex with 0x); false if absent or not a number. */
bool cmdline_get_u64(const char *key, u64 *value);

/* Parses a whole string as a number (decimal, or hex with 0x); false if it is not one. */
bool parse_u64(const char *s, u64 *value);

/* The command line as given. */
const char *cmdline_string(void);

#endif
