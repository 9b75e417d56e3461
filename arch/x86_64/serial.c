// SPDX-License-Identifier: MIT
/*
 * The 16550 UARTs. Polled output only: the console must work in a panic with interrupts off. The
 * kernel console is COM1 unless console=ttyS1 moved it to COM2 (serial_console_select).
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_LCR_DLAB 0x80

static u16 console_port = COM1;

/* Programs a port for 115200 8N1 with FIFOs. */
void serial_port_init(u16 port)
{
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + 0, 1); /* divisor 1: 115200 baud */
	outb(port + 1, 0);
	outb(port + UART_LCR, 0x03); /* 8 bits, no parity, one stop bit */
	outb(port + UART_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_init(void)
{
	serial_port_init(COM1);
}

/* Waits for room in the transmitter and sends one byte. */
static void port_putc(u16 port, char c)
{
	while (!(inb(port + UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(port + UART_DATA, (u8)c);
}

/* Sends one byte to the kernel console's port. */
static void serial_putc(char c)
{
	port_putc(console_port, c);
}

/* Makes port the kernel console: programs it and sends serial_write() there from now on. */
void serial_console_select(u16 port)
{
	serial_port_init(port);
	console_port = port;
}

void serial_port_write(u16 port, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		port_putc(port, s[i]);
}

/* Writes len bytes, turning "\n" into "\r\n". */
void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
