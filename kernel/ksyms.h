/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table, embedded at build time (tools/mksyms.sh turns `nm` output of a
 * first link into build/ksyms.S, linked into the final image at the end of .rodata, where it
 * moves no code). Used to print backtraces with function names.
 */
#ifndef WARDEN_KSYMS_H
#define WARDEN_KSYMS_H

#include "kernel/types.h"

/*
 * Finds the function containing addr. Returns its name and fills *offset and *size (bytes from
 * the function's start, and its length), or returns NULL if addr is in no known function.
 */
const char *ksym_lookup(u64 addr, u64 *offset, u64 *size);

/* The address of a function by name, or 0. */
u64 ksym_address(const char *name);

/* Formats addr as "name+0xoff/0xsize" (or just the hex address) into buf. */
void ksym_format(char *buf, size_t len, u64 addr);

/* How many symbols the table holds. */
u64 ksym_count(void);

#endif
