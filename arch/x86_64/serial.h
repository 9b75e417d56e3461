/* SPDX-License-Identifier: MIT */
/* The 16550 UARTs: COM1 is the kernel console (or COM2, with console=ttyS1). */
#ifndef WARDEN_ARCH_SERIAL_H
#define WARDEN_ARCH_SERIAL_H

#include "kernel/types.h"

#define SERIAL_COM1 0x3f8
#define SERIAL_COM2 0x2f8
#define SERIAL_COM3 0x3e8

/* Programs COM1 for 115200 8N1 with FIFOs. Safe to call more than once. */
void serial_init(void);

/* Programs another port the same way. */
void serial_port_init(u16 port);

/* Writes len bytes to a port exactly as given (no newline translation): program output. */
void serial_port_write(u16 port, const char *s, size_t len);

/* Writes len bytes to the kernel console's port, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t len);

/* Makes port (COM1 or COM2) the kernel console's port, after programming it. */
void serial_console_select(u16 port);

#endif
