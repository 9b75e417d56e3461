// SPDX-License-Identifier: MIT
/*
 * Line speeds (Linux's tty_baudrate.c) and what the 16550 driver makes of a new termios
 * (serial_core's uart_get_baud_rate and 8250's set_termios): the speed a c_cflag names
 * (CBAUD, CBAUDEX, BOTHER with c_ospeed; CIBAUD for input), and after TCSETS the speed the
 * port can do, written back into c_cflag: out of the port's range, the previous speed.
 */
#include "drivers/tty/tty.h"
#include "kernel/string.h"

/* x86's table of the Bfoo codes: 0..15, then CBAUDEX | 1..15. */
static const u32 baud_table[] = { 0,	   50,	    75,	     110,     134,     150,	200,
				  300,	   600,	    1200,    1800,    2400,    4800,	9600,
				  19200,   38400,   57600,   115200,  230400,  460800,	500000,
				  576000,  921600,  1000000, 1152000, 1500000, 2000000, 2500000,
				  3000000, 3500000, 4000000 };
#define N_BAUD_TABLE (sizeof(baud_table) / sizeof(baud_table[0]))

/* The Bfoo code of table entry i. */
static u32 baud_bits(unsigned int i)
{
	return i < 16 ? i : CBAUDEX | (i - 15);
}

/* The speed a code names (tty_termios_baud_rate / input_baud_rate's lookup); 0 if none. */
static u32 code_to_baud(u32 cbaud)
{
	if (cbaud & CBAUDEX)
		cbaud = (cbaud & ~CBAUDEX) + 15;
	return cbaud >= N_BAUD_TABLE ? 0 : baud_table[cbaud];
}

u32 tty_termios_baud_rate(const struct ktermios *k)
{
	u32 cbaud = k->t.c_cflag & CBAUD;

	return cbaud == BOTHER ? k->c_ospeed : code_to_baud(cbaud);
}

u32 tty_termios_input_baud_rate(const struct ktermios *k)
{
	u32 cbaud = (k->t.c_cflag >> IBSHIFT) & CBAUD;

	if (cbaud == 0)
		return tty_termios_baud_rate(k);
	return cbaud == BOTHER ? k->c_ispeed : code_to_baud(cbaud);
}

/*
 * Writes speeds into a termios (tty_termios_encode_baud_rate): the Bfoo code within 2% of
 * each (exactly, for a BOTHER request), else BOTHER; input bits only when the caller gave
 * some or the speeds differ.
 */
void tty_termios_encode_baud_rate(struct ktermios *k, u32 ibaud, u32 obaud)
{
	int ifound = -1, ofound = -1;
	u32 iclose = ibaud / 50, oclose = obaud / 50;
	bool ibinput = ((k->t.c_cflag >> IBSHIFT) & CBAUD) != 0;

	if (obaud == 0)
		ibaud = 0;
	k->c_ispeed = ibaud;
	k->c_ospeed = obaud;
	if ((k->t.c_cflag & CBAUD) == BOTHER) {
		oclose = 0;
		if (!ibinput)
			iclose = 0;
	}
	if (((k->t.c_cflag >> IBSHIFT) & CBAUD) == BOTHER)
		iclose = 0;
	k->t.c_cflag &= ~(CBAUD | (CBAUD << IBSHIFT));
	for (unsigned int i = 0; i < N_BAUD_TABLE; i++) {
		/* unsigned arithmetic as Linux's: a speed below its margin wraps */
		if (obaud - oclose <= baud_table[i] && obaud + oclose >= baud_table[i]) {
			k->t.c_cflag |= baud_bits(i);
			ofound = (int)i;
		}
		if (ibaud - iclose <= baud_table[i] && ibaud + iclose >= baud_table[i]) {
			if (!(ofound == (int)i && !ibinput))
				k->t.c_cflag |= baud_bits(i) << IBSHIFT;
			ifound = (int)i;
		}
	}
	if (ofound == -1)
		k->t.c_cflag |= BOTHER;
	if (ifound == -1 && (ibaud != obaud || ibinput))
		k->t.c_cflag |= BOTHER << IBSHIFT;
}

/* COM1's range: uartclk 1843200 Hz, divisors 1..0xffff, 1% tolerance at the top. */
#define UART_MIN_BAUD (1843200 / 16 / 0xffff)
#define UART_MAX_BAUD ((1843200 + 1843200 / 100) / 16)

/*
 * The speed the port takes for a termios (uart_get_baud_rate): B0 counts as 9600; out of
 * range, the old termios's speed is written in and used, or at last the nearest end.
 */
static u32 uart_get_baud_rate(struct ktermios *k, const struct ktermios *old)
{
	bool hung_up = false;

	for (int try = 0; try < 2; try++) {
		u32 baud = tty_termios_baud_rate(k);

		if (baud == 0) {
			hung_up = true;
			baud = 9600;
		}
		if (baud >= UART_MIN_BAUD && baud <= UART_MAX_BAUD)
			return baud;
		k->t.c_cflag &= ~CBAUD;
		if (old) {
			baud = tty_termios_baud_rate(old);
			if (!hung_up)
				tty_termios_encode_baud_rate(k, baud, baud);
			old = NULL;
			continue;
		}
		if (!hung_up) {
			if (baud <= UART_MIN_BAUD)
				tty_termios_encode_baud_rate(k, UART_MIN_BAUD + 1,
							     UART_MIN_BAUD + 1);
			else
				tty_termios_encode_baud_rate(k, UART_MAX_BAUD - 1,
							     UART_MAX_BAUD - 1);
		}
	}
	return 9600; /* not reached: the second try is in range */
}

/*
 * The driver's part of a termios change (uart_set_termios, serial8250_do_set_termios):
 * nothing when no line setting changed, else the speed the port takes is written back
 * (a B0 request stays B0).
 */
void serial_set_termios(struct ktermios *k, const struct ktermios *old)
{
	const u32 iflag_mask = IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK;

	if (k->t.c_cflag == old->t.c_cflag && k->c_ospeed == old->c_ospeed &&
	    k->c_ispeed == old->c_ispeed && !((k->t.c_iflag ^ old->t.c_iflag) & iflag_mask))
		return;
	u32 baud = uart_get_baud_rate(k, old);
	if (tty_termios_baud_rate(k))
		tty_termios_encode_baud_rate(k, baud, baud);
}
