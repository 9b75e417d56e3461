/* SPDX-License-Identifier: MIT */
/* The 16550 UART on COM1: the kernel console. */
#ifndef WARDEN_ARCH_SERIAL_H
#define WARDEN_ARCH_SERIAL_H

#include "kernel/types.h"

/* Programs COM1 for 115200 8N1 with FIFOs. Safe to call more than once. */
void serial_init(void);

/* Writes len bytes to COM1, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t len);

#endif
