/* SPDX-License-Identifier: MIT */
/* Random bytes for AT_RANDOM and getrandom(2): RDRAND when the CPU has it, else a TSC-seeded mix.
 */
#ifndef WARDEN_RANDOM_H
#define WARDEN_RANDOM_H

#include "kernel/types.h"

void get_random_bytes(void *buf, size_t n);

long sys_getrandom(void *buf, size_t count, unsigned int flags);

#endif
