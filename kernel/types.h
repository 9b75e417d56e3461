/* SPDX-License-Identifier: MIT */
/*
 * Basic types for a freestanding kernel. Built with -nostdinc, so nothing here may come from the
 * host's C library; the compiler's predefined macros give the sizes. The same header also compiles
 * in host unit tests, where these names must not clash with libc's.
 */
#ifndef WARDEN_TYPES_H
#define WARDEN_TYPES_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif

#if !defined(WARDEN_HOST)
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef long ssize_t;
#define NULL ((void *)0)
#else
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#endif

typedef u64 phys_addr_t;

#if !defined(WARDEN_HOST)
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(d, s) __builtin_va_copy(d, s)
#else
#include <stdarg.h>
#endif

#endif
