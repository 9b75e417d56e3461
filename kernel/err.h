/* SPDX-License-Identifier: MIT */
/* Errors carried in pointers, as Linux does: the top 4095 addresses stand for -errno. */
#ifndef WARDEN_ERR_H
#define WARDEN_ERR_H

#include "kernel/compiler.h"

#define MAX_ERRNO 4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
