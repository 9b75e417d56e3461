/* SPDX-License-Identifier: MIT */
/*
 * The terminal layer, in Linux's vocabulary (drivers/tty): one tty_struct, ttyS0, on the COM1
 * 16550. Bytes arrive by the receive interrupt (IRQ 4) and go through the line discipline
 * (n_tty.c: canonical editing, echo, ISIG signals to the foreground process group, VMIN/VTIME);
 * tty_io.c gives the files (/dev/ttyS0 4:64, /dev/console 5:1, /dev/tty 5:0: the caller's
 * controlling terminal, ENXIO without one), the ioctls with Linux's errors and job control
 * (background reads SIGTTIN, writes with TOSTOP SIGTTOU). A session's controlling terminal is
 * recorded on the tty (tty->session): a process's is the tty whose session is its own.
 * run-program's fds 0-2 are not this terminal (fs/console.c): its contract is unchanged.
 */
#ifndef WARDEN_DRIVERS_TTY_H
#define WARDEN_DRIVERS_TTY_H

#include "fs/poll.h"
#include "fs/vfs.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"

/* struct termios as TCGETS/TCSETS see it on x86-64 (no speed fields). */
#define NCCS 19
struct termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};

/* A termios with the speeds Linux keeps beside it (struct ktermios): c_cflag's CBAUD codes
 * name them, BOTHER means "the number in c_ospeed/c_ispeed". */
struct ktermios {
	struct termios t;
	u32 c_ispeed, c_ospeed;
};

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK 0000020
#define ISTRIP 0000040
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON 0002000
#define IXANY 0004000
/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
#define OCRNL 0000010
#define ONOCR 0000020
#define ONLRET 0000040
/* c_cflag */
#define CBAUD 0010017
#define CBAUDEX 0010000
#define BOTHER 0010000
#define IBSHIFT 16 /* CIBAUD: the input speed's code, CBAUD << IBSHIFT */
#define ADDRB 004000000000 /* RS-485 addressing: set only through the driver */
#define B9600 0000015
#define CS8 0000060
#define CREAD 0000200
#define HUPCL 0002000
#define CLOCAL 0004000
/* c_lflag */
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE 0004000
#define IEXTEN 0100000

/* ioctls (asm-generic/ioctls.h) */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define TIOCOUTQ 0x5411
#define TIOCSTI 0x5412
#define TIOCINQ 0x541B
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

#define N_TTY_BUF_SIZE 4096

struct tty_struct {
	const char *name;
	struct termios termios;
	u32 c_ispeed, c_ospeed; /* the speeds (ktermios) */
	struct winsize winsize;
	int session; /* the session whose controlling terminal this is, 0: none */
	int pgrp; /* the foreground process group, 0: none */
	int count; /* open files */
	u32 hangups; /* hangups so far: a file opened before the last one is hung up */
	bool flow_stopped; /* output stopped by ^S or TCOOFF */
	bool lnext; /* ^V was typed: the next byte is data */
	spinlock_t lock; /* the line discipline's state below: taken with interrupts off */
	/* n_tty: a ring of input; [read_tail, canon_head) holds complete lines (canonical mode) */
	u8 read_buf[N_TTY_BUF_SIZE];
	u64 read_flags[N_TTY_BUF_SIZE / 64]; /* a set bit marks a line's end */
	u32 read_head, read_tail, canon_head;
	u32 column; /* the output column, for erasing with echo */
	struct wait_queue_head read_wait, write_wait;
	void (*write)(const u8 *buf, size_t len); /* the driver: sends bytes unchanged */
};

extern struct tty_struct ttyS0;
extern const struct file_operations tty_fops;

/* The line discipline: one received byte (interrupt context). */
void n_tty_receive_char(struct tty_struct *tty, u8 c);
/* Reads for a file of the tty: canonical lines or VMIN/VTIME, -EAGAIN, -ERESTARTSYS. */
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to);
/* Readiness for poll/select: POLLIN when a read would not wait, POLLOUT always. */
__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, poll_table *wait);
/* Writes with output processing (OPOST); waits while output is stopped. */
ssize_t n_tty_write(struct tty_struct *tty, struct file *file, struct iov_iter *from);
/* Discards the input not read yet (TCFLSH, TCSETSF, ISIG without NOFLSH). */
void n_tty_flush_input(struct tty_struct *tty);
/* The bytes a read could return now (FIONREAD). */
u32 n_tty_inq(struct tty_struct *tty);
/* The termios changed from old: canonical mode switches redo the line bookkeeping. */
void n_tty_set_termios(struct tty_struct *tty, const struct termios *old);
/* Echoes or sends one byte with output processing (used for TCIOFF/TCION too). */
void n_tty_put_char(struct tty_struct *tty, u8 c);

/*
 * Linux's __tty_check_change: may the current process act on tty as its foreground? 0, or
 * -ERESTARTSYS after sending sig to its group (background), -EIO (orphaned group, or SIGTTIN
 * ignored or blocked).
 */
int tty_check_change(struct tty_struct *tty, int sig);

/* Was file hung up (Linux's tty_hung_up_p)? Reads then return 0, writes and ioctls EIO. */
bool tty_hung_up_p(const struct file *file);
/* The exiting leader of a session hangs its controlling terminal up (disassociate_ctty(1)). */
void disassociate_ctty_on_exit(void);

/*
 * The current session leader gives its controlling terminal up (Linux's disassociate_ctty):
 * on exit the terminal is hung up (SIGHUP to the foreground group, every file hung up);
 * otherwise (TIOCNOTTY) the foreground group gets SIGHUP and SIGCONT. Either way the session
 * no longer has it. Nothing for a process that leads no session.
 */
void disassociate_ctty(int on_exit);

/* tty_baudrate.c: the speed c_cflag (or c_ospeed for BOTHER) names; 0 for none. */
u32 tty_termios_baud_rate(const struct ktermios *k);
/* The input speed: CIBAUD's, or the output speed when CIBAUD is B0. */
u32 tty_termios_input_baud_rate(const struct ktermios *k);
/* Writes the speeds into c_cflag's codes (BOTHER when no code is close) and c_[io]speed. */
void tty_termios_encode_baud_rate(struct ktermios *k, u32 ibaud, u32 obaud);
/* COM1's answer to a new termios k (old: the previous one): the speed it takes, written back. */
void serial_set_termios(struct ktermios *k, const struct ktermios *old);

struct task_struct;
/* /proc/PID/stat's tty_nr and tpgid for t (0 and -1 without a controlling terminal). */
void task_tty_stat(const struct task_struct *t, unsigned int *tty_nr, int *tpgid);

/* The serial port: enables COM1's receive interrupt and registers ttyS0. */
void serial_tty_init(void);
/* IRQ 4: drains COM1's receive FIFO into the line discipline. */
void serial_interrupt(void);

/* Reads COM1's received bytes into ttyS0's line discipline; the kernel lock is held. */
void serial_interrupt_work(void);

/* IRQ 4 through the legacy PIC (vectors 32-47). */
#define SERIAL_IRQ_VECTOR (32 + 4)

#endif
