/* SPDX-License-Identifier: MIT */
/*
 * Formatted output into a buffer. Supports the C conversions d i u x X o c s p %, the flags
 * - 0 + space #, width and precision (also as *), and the lengths hh h l ll z t. %p prints
 * "0x" and 16 hex digits. Output is always terminated when size > 0; the return value is the
 * length the full output would have had, as in C.
 */
#ifndef WARDEN_VSPRINTF_H
#define WARDEN_VSPRINTF_H

#include "kernel/compiler.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
