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

/*
 * Bytes read from COM1 by the interrupt handler, waiting for the line discipline (which runs
 * under the kernel lock: it echoes and sends ^C's signal). The handler drains the UART at once,
 * so its 16-byte FIFO never overflows while the kernel lock is elsewhere.
 */
#define RX_RING_SIZE 4096
static u8 rx_ring[RX_RING_SIZE];
static u32 rx_head, rx_tail; /* head: next to write; tail: next to read */
static spinlock_t rx_lock = SPINLOCK_INIT; /* protects rx_ring, rx_head, rx_tail, rx_draining */
/*
 * serial_interrupt_work is taking bytes out of the ring (on the kernel lock's holder). An
 * interrupt meanwhile (the idle loop runs deferred work with interrupts on) must not start a
 * second, nested drain, which would pass later bytes to the line discipline before the one the
 * first holds: it leaves them in the ring for the running drain.
 */
static bool rx_draining;

void serial_interrupt_work(void)
{
	u64 f = spin_lock_irqsave(&rx_lock);

	if (rx_draining) {
		spin_unlock_irqrestore(&rx_lock, f);
		return;
	}
	rx_draining = true;
	spin_unlock_irqrestore(&rx_lock, f);
	for (;;) {
		f = spin_lock_irqsave(&rx_lock);
		bool empty = rx_tail == rx_head;
		u8 c = rx_ring[rx_tail % RX_RING_SIZE];

		if (!empty)
			rx_tail++;
		else
			rx_draining =
				false; /* with the check: later bytes start a drain of their own */
		spin_unlock_irqrestore(&rx_lock, f);
		if (empty)
			return;
		/* A terminal nobody has open takes no input (Linux starts the port at open). */
		if (ttyS0.count)
			n_tty_receive_char(&ttyS0, c);
	}
}

void serial_interrupt(void)
{
	int budget = 256; /* a stuck LSR cannot hold the CPU */
	u64 f = spin_lock_irqsave(&rx_lock);

	while ((inb(SERIAL_COM1 + UART_LSR) & UART_LSR_DR) && budget--) {
		u8 c = inb(SERIAL_COM1);

		if (rx_head - rx_tail < RX_RING_SIZE)
			rx_ring[rx_head++ % RX_RING_SIZE] = c;
	}
	spin_unlock_irqrestore(&rx_lock, f);
	/* The line discipline: under the kernel lock, now or by its next holder. */
	if (kernel_lock_held())
		serial_interrupt_work();
	else
		kernel_lock_defer(KERNEL_PENDING_SERIAL);
	outb(PIC1_CMD, 0x20); /* end of interrupt */
}
