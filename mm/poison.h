/* SPDX-License-Identifier: MIT */
/*
 * Memory poisoning (boot option `poison`), a debug aid that makes uninitialised kernel bytes
 * visible, as Linux's slub_debug=P, page_poison=1 and init_on_free help find them.
 *
 * With the option on, every frame alloc_page hands out without __GFP_ZERO, every slab object
 * kmem_cache_alloc hands out without __GFP_ZERO (kmalloc, vmalloc's pages, kernel stacks) and
 * the unused part of a task's kernel stack on each entry from user mode (system call,
 * exception, interrupt) is filled with an 8-byte pattern, laid out by address: the byte at
 * address a is poison_bytes[a % 8]. Every copy to user memory (copy_to_user and what is built
 * on it: put_user_*, the signal frame, stat, siginfo, /proc, getdents, read...) is then scanned:
 * a run of POISON_MIN_RUN or more bytes of the pattern, at any phase (a buffer copied by
 * memcpy to another alignment still matches), is a kernel byte that nobody wrote about to reach
 * user space, and the kernel panics naming the copy's caller, the length and the offset. So is
 * a single aligned 8-byte word that holds the pattern in its own address phase (the pattern
 * word itself): a stale u64 member or stack slot, left where the fill put it, as the XSAVE
 * header's XCOMP_BV was.
 *
 * Why this pattern and 16 bytes: the eight bytes are distinct (so one byte fixes the phase and
 * a scan costs one table lookup and one compare per aligned word), none is 0x00, 0xff or ASCII
 * text, and the 64-bit word is a non-canonical address (a poisoned pointer faults with #GP
 * when dereferenced). Sixteen bytes are two whole periods: random data matches with
 * probability 8 * 2^-128 per position (2^-64 per aligned word for the one-word rule), and no
 * structure the kernel copies out (small integers,
 * pointers, text, zero padding) contains the pattern even once. Only data a program wrote on
 * purpose (a program that knows the pattern and reads it back through a pipe) can look like
 * poison: a debug option, for tests, not for production. Not caught: a stale hole shorter than
 * eight bytes between written fields (a 4-byte padding), which random data would match too
 * often (2^-32) to be worth a panic.
 */
#ifndef WARDEN_MM_POISON_H
#define WARDEN_MM_POISON_H

#include "kernel/types.h"

/* The pattern as the little-endian word at an 8-byte-aligned address. */
#define POISON_PATTERN 0x4fe2913ec76d5ba5ULL

/* The shortest run of pattern bytes the copy check reports. */
#define POISON_MIN_RUN 16

/* True when the `poison` boot option is on. */
extern bool debug_poison;

/* POISON_PATTERN, for the entry code (arch/x86_64/syscall.asm, entry.asm). */
extern const u64 poison_pattern;

/* Fills [p, p + n) with the pattern in its address phase (whether or not poisoning is on). */
void poison_fill(void *p, size_t n);

/*
 * Looks for a run of at least POISON_MIN_RUN pattern bytes, in any phase, in [p, p + n).
 * Returns true with the run's offset and length (as far as it goes) if there is one.
 */
bool poison_find(const void *p, size_t n, size_t *offset, size_t *run);

/*
 * The check of every copy to user space: panics if the kernel bytes [src, src + n) about to
 * be copied to user address dst carry poison; caller is the code that asked for the copy.
 */
void poison_check_copy(void *dst, const void *src, size_t n, const void *caller);

#endif
