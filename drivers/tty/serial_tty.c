// SPDX-License-Identifier: MIT
/*
 * ttyS0's driver: COM1's 16550 with its receive interrupt (IER's "data available", OUT2 to
 * route the interrupt, IRQ 4 unmasked on the legacy PIC). Output stays polled (serial.c), so the
 * kernel log and a panic work with interrupts off.
 */
#include "kernel/kernel_lock.h"
#include "drivers/tty/tty.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"

#define UART_IER 1
#define UART_MCR 4
#define UART_LSR 5
#define UART_IER_RDI 0x01
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_LSR_DR 0x01
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define COM1_IRQ 4

/* The tty's output: bytes to COM1 as they are (the line discipline did the translation). */
static void com1_write(const u8 *buf, size_t len)
{
	serial_port_write(SERIAL_COM1, (const char *)buf, len);
}

void serial_tty_init(void)
{
	ttyS0.write = com1_write;
	while (inb(SERIAL_COM1 + UART_LSR) & UART_LSR_DR) /* what came before is not input */
		inb(SERIAL_COM1);
	outb(SERIAL_COM1 + UART_MCR, UART_MCR_DTR_RTS_OUT2);
	outb(SERIAL_COM1 + UART_IER, UART_IER_RDI);
	outb(PIC1_DATA, inb(PIC1_DATA) & ~(1 << COM1_IRQ));
}

void serial_interrupt_work(void)
{
	int budget = 256; /* a stuck LSR cannot hold the CPU */

	while ((inb(SERIAL_COM1 + UART_LSR) & UART_LSR_DR) && budget--) {
		u8 c = inb(SERIAL_COM1);

		/* A terminal nobody has open takes no input (Linux starts the port at open). */
		if (ttyS0.count)
			n_tty_receive_char(&ttyS0, c);
	}
}

void serial_interrupt(void)
{
	/*
	 * The line discipline sends signals: under the kernel lock, now or by its next holder.
	 * A free lock is taken here (an idle CPU, or user mode): deferring then would leave the
	 * character in the UART until some CPU next takes the lock, which may be the next key.
	 */
	if (kernel_lock_held()) {
		serial_interrupt_work();
	} else if (kernel_trylock()) {
		serial_interrupt_work();
		kernel_unlock();
	} else {
		kernel_lock_defer(KERNEL_PENDING_SERIAL);
	}
	outb(PIC1_CMD, 0x20); /* end of interrupt */
}
