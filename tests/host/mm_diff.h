/* SPDX-License-Identifier: MIT */
/* The differential test of the generic mm (tests/host/mm_diff.c), shared with libFuzzer. */
#ifndef WARDEN_TESTS_HOST_MM_DIFF_H
#define WARDEN_TESTS_HOST_MM_DIFF_H

#include <stddef.h>
#include "kernel/types.h"

/* Runs one input against the model: 0 if they agreed, else -1 with why filled in. */
int mm_diff_run(const u8 *data, size_t size, char *why, size_t len);

#endif
