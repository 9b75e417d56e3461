// SPDX-License-Identifier: MIT
/*
 * The line discipline (Linux's n_tty): input editing in canonical mode (ERASE, WERASE, KILL,
 * EOF, line ends), echo, input and output translation (ICRNL, INLCR, IGNCR, ONLCR, OCRNL),
 * flow control (IXON), ISIG's signals to the foreground process group, and the two read modes:
 * whole lines (ICANON) or VMIN/VTIME. See tty.h.
 */
#include "drivers/tty/tty.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/time.h"

#define MASK(x) ((x) & (N_TTY_BUF_SIZE - 1))
#define L(tty, f) ((tty)->termios.c_lflag & (f))
#define I(tty, f) ((tty)->termios.c_iflag & (f))
#define O(tty, f) ((tty)->termios.c_oflag & (f))
#define CC(tty, i) ((tty)->termios.c_cc[i])
#define DISABLED_CHAR 0 /* __DISABLED_CHAR: a c_cc entry of 0 matches nothing; EOF's mark */

static u32 read_cnt(struct tty_struct *tty)
{
	return tty->read_head - tty->read_tail;
}

static bool test_flag(struct tty_struct *tty, u32 i)
{
	return tty->read_flags[MASK(i) / 64] >> (MASK(i) % 64) & 1;
}

static void set_flag(struct tty_struct *tty, u32 i, bool on)
{
	u64 bit = 1ull << (MASK(i) % 64);

	if (on)
		tty->read_flags[MASK(i) / 64] |= bit;
	else
		tty->read_flags[MASK(i) / 64] &= ~bit;
}

/* Sends one byte with OPOST's translations, keeping the column for erasing. */
void n_tty_put_char(struct tty_struct *tty, u8 c)
{
	if (O(tty, OPOST)) {
		if (c == '\n' && O(tty, ONLCR)) {
			tty->write((const u8 *)"\r\n", 2);
			tty->column = 0;
			return;
		}
		if (c == '\r' && O(tty, OCRNL))
			c = '\n';
	}
	if (c == '\r' || c == '\n')
		tty->column = 0;
	else if (c == '\b') {
		if (tty->column)
			tty->column--;
	} else if (c >= 0x20 && c != 0x7f)
		tty->column++;
	tty->write(&c, 1);
}

static bool is_ctrl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

/* Echoes a received byte: a control character as ^X with ECHOCTL (not tab or newline). */
static void echo_char(struct tty_struct *tty, u8 c)
{
	if (L(tty, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n') {
		n_tty_put_char(tty, '^');
		n_tty_put_char(tty, c ^ 0100);
	} else {
		n_tty_put_char(tty, c);
	}
}

static void erase_one(struct tty_struct *tty)
{
	n_tty_put_char(tty, '\b');
	n_tty_put_char(tty, ' ');
	n_tty_put_char(tty, '\b');
}

static bool is_word_char(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

/* ERASE, WERASE or KILL of the line being edited (Linux's eraser), with their echoes. */
static void eraser(struct tty_struct *tty, u8 c)
{
	enum { ERASE, WERASE, KILL } kill_type;
	int seen_alnums = 0;

	if (tty->read_head == tty->canon_head)
		return; /* nothing to erase */
	if (c == CC(tty, VERASE))
		kill_type = ERASE;
	else if (c == CC(tty, VWERASE))
		kill_type = WERASE;
	else {
		if (!L(tty, ECHO)) {
			tty->read_head = tty->canon_head;
			return;
		}
		if (!L(tty, ECHOK) || !L(tty, ECHOKE) || !L(tty, ECHOE)) {
			tty->read_head = tty->canon_head;
			echo_char(tty, c);
			if (L(tty, ECHOK))
				n_tty_put_char(tty, '\n');
			return;
		}
		kill_type = KILL;
	}
	while (tty->read_head != tty->canon_head) {
		u8 prev = tty->read_buf[MASK(tty->read_head - 1)];

		if (kill_type == WERASE) {
			if (is_word_char(prev))
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		tty->read_head--;
		if (L(tty, ECHO)) {
			if (kill_type == ERASE && !L(tty, ECHOE)) {
				echo_char(tty, CC(tty, VERASE));
			} else {
				if (is_ctrl(prev) && L(tty, ECHOCTL))
					erase_one(tty); /* the ^ of ^X */
				if (!is_ctrl(prev) || L(tty, ECHOCTL))
					erase_one(tty);
			}
		}
		if (kill_type == ERASE)
			break;
	}
}

/* Puts a byte into the input ring; a full ring drops it, as Linux's. */
static void put_tty_queue(struct tty_struct *tty, u8 c, bool line_end)
{
	if (read_cnt(tty) >= N_TTY_BUF_SIZE)
		return;
	set_flag(tty, tty->read_head, line_end);
	tty->read_buf[MASK(tty->read_head)] = c;
	tty->read_head++;
}

void n_tty_flush_input(struct tty_struct *tty)
{
	u64 f = spin_lock_irqsave(&tty->lock);

	tty->read_tail = tty->read_head = tty->canon_head = 0;
	tty->lnext = false;
	for (size_t i = 0; i < ARRAY_SIZE(tty->read_flags); i++)
		tty->read_flags[i] = 0;
	spin_unlock_irqrestore(&tty->lock, f);
}

/* ^C, ^\ or ^Z: the signal to the foreground group, input flushed unless NOFLSH, echo. */
static void receive_signal_char(struct tty_struct *tty, int sig, u8 c)
{
	if (!L(tty, NOFLSH)) {
		tty->read_tail = tty->read_head = tty->canon_head = 0;
		for (size_t i = 0; i < ARRAY_SIZE(tty->read_flags); i++)
			tty->read_flags[i] = 0;
	}
	if (tty->pgrp)
		kill_pgrp(tty->pgrp, sig, 1);
	if (I(tty, IXON))
		tty->flow_stopped = false;
	if (L(tty, ECHO))
		echo_char(tty, c);
	wake_up(&tty->write_wait);
}

/* A line ends (newline, EOF, EOL): it becomes readable. */
static void end_line(struct tty_struct *tty, u8 stored)
{
	put_tty_queue(tty, stored, true);
	tty->canon_head = tty->read_head;
}

/* One byte in canonical mode: editing characters, line ends, or the line's next byte. */
static void receive_canon(struct tty_struct *tty, u8 c)
{
	if (c == CC(tty, VERASE) || c == CC(tty, VKILL) ||
	    (c == CC(tty, VWERASE) && L(tty, IEXTEN))) {
		eraser(tty, c);
		return;
	}
	if (c == CC(tty, VLNEXT) && L(tty, IEXTEN)) {
		tty->lnext = true; /* the next byte is data, whatever it is */
		if (L(tty, ECHO) && L(tty, ECHOCTL)) {
			n_tty_put_char(tty, '^');
			n_tty_put_char(tty, '\b');
		}
		return;
	}
	if (c == '\n') {
		if (L(tty, ECHO) || L(tty, ECHONL))
			n_tty_put_char(tty, '\n');
		end_line(tty, c);
		return;
	}
	if (c == CC(tty, VEOF)) {
		end_line(tty, DISABLED_CHAR); /* the mark is never copied to the reader */
		return;
	}
	if (c == CC(tty, VEOL) || (c == CC(tty, VEOL2) && L(tty, IEXTEN))) {
		if (L(tty, ECHO))
			echo_char(tty, c);
		end_line(tty, c);
		return;
	}
	if (read_cnt(tty) >= N_TTY_BUF_SIZE - 1)
		return; /* room is kept for a line end */
	if (L(tty, ECHO))
		echo_char(tty, c);
	put_tty_queue(tty, c, false);
}

void n_tty_receive_char(struct tty_struct *tty, u8 c)
{
	u64 f = spin_lock_irqsave(&tty->lock);

	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (tty->lnext) { /* after ^V: the byte as it is */
		tty->lnext = false;
		goto literal;
	}
	/* As Linux's char_map: a c_cc entry of 0 matches a NUL byte. */
	if (I(tty, IXON)) {
		if (c == CC(tty, VSTART)) {
			tty->flow_stopped = false;
			wake_up(&tty->write_wait);
			goto out;
		}
		if (c == CC(tty, VSTOP)) {
			tty->flow_stopped = true;
			goto out;
		}
	}
	if (L(tty, ISIG)) {
		int sig = c == CC(tty, VINTR)	? SIGINT
			  : c == CC(tty, VQUIT) ? SIGQUIT
			  : c == CC(tty, VSUSP) ? SIGTSTP
						: 0;
		if (sig) {
			receive_signal_char(tty, sig, c);
			goto out;
		}
	}
	if (tty->flow_stopped && I(tty, IXON) && I(tty, IXANY)) {
		tty->flow_stopped = false;
		wake_up(&tty->write_wait);
	}
	if (c == '\r') {
		if (I(tty, IGNCR))
			goto out;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (L(tty, ICANON)) {
		receive_canon(tty, c);
		goto wake;
	}
literal:
	if (L(tty, ICANON) && read_cnt(tty) >= N_TTY_BUF_SIZE - 1)
		goto out; /* the last place is for a line end */
	if (L(tty, ECHO))
		echo_char(tty, c);
	put_tty_queue(tty, c, false);
wake:
	wake_up(&tty->read_wait);
out:
	spin_unlock_irqrestore(&tty->lock, f);
}

/* What a read can take now: whole lines in canonical mode, every byte otherwise. */
static u32 readable(struct tty_struct *tty)
{
	return L(tty, ICANON) ? tty->canon_head - tty->read_tail : read_cnt(tty);
}

/*
 * Readiness for poll and select (Linux's n_tty_poll): readable when a read would not wait
 * (canonical: a whole line, an EOF mark included; otherwise VMIN bytes when VTIME is 0 and
 * VMIN is not, else one byte); always writable, as the serial port takes every byte.
 */
__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, poll_table *wait)
{
	__poll_t mask = POLLOUT | POLLWRNORM;

	poll_wait(file, &tty->read_wait, wait);
	poll_wait(file, &tty->write_wait, wait);
	u64 f = spin_lock_irqsave(&tty->lock);
	u32 want = 1;

	if (!L(tty, ICANON) && !CC(tty, VTIME) && CC(tty, VMIN))
		want = CC(tty, VMIN);
	if (L(tty, ICANON) ? tty->canon_head != tty->read_tail : read_cnt(tty) >= want)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock_irqrestore(&tty->lock, f);
	return mask;
}

u32 n_tty_inq(struct tty_struct *tty)
{
	u64 f = spin_lock_irqsave(&tty->lock);
	u32 n = readable(tty);

	if (L(tty, ICANON)) /* EOF marks are not data (inq_canon) */
		for (u32 i = tty->read_tail; i != tty->canon_head; i++)
			if (test_flag(tty, i) && tty->read_buf[MASK(i)] == DISABLED_CHAR)
				n--;
	spin_unlock_irqrestore(&tty->lock, f);
	return n;
}

/*
 * Takes up to *nr readable bytes into kbuf. Canonical mode stops after a line end found within
 * those bytes (an EOF mark ends the line and is not copied): true when a line ended.
 */
static bool copy_from_read_buf(struct tty_struct *tty, u8 *kbuf, size_t *copied, size_t nr)
{
	u64 f = spin_lock_irqsave(&tty->lock);
	u32 avail = readable(tty);
	u32 n = (u32)min((size_t)avail, nr);
	bool found = false;

	if (L(tty, ICANON)) {
		for (u32 i = 0; i < n; i++) {
			if (test_flag(tty, tty->read_tail + i)) {
				found = true;
				n = i + 1;
				break;
			}
		}
	}
	u32 take = n;
	if (found && tty->read_buf[MASK(tty->read_tail + n - 1)] == DISABLED_CHAR)
		take = n - 1; /* the EOF mark */
	for (u32 i = 0; i < take; i++)
		kbuf[*copied + i] = tty->read_buf[MASK(tty->read_tail + i)];
	if (found)
		set_flag(tty, tty->read_tail + n - 1, false);
	tty->read_tail += n;
	*copied += take;
	spin_unlock_irqrestore(&tty->lock, f);
	return found;
}

/* Sleeps on the read queue until input, a signal, or the deadline (0: none). */
static void wait_input(struct tty_struct *tty, u64 deadline)
{
	struct wait_queue_entry we;

	prepare_to_wait(&tty->read_wait, &we);
	if (!readable(tty) && !signal_pending_current()) {
		current->wake_at_ns = deadline;
		schedule();
		current->wake_at_ns = 0;
	}
	finish_wait(&tty->read_wait, &we);
}

/*
 * Linux's n_tty_read: a background reader gets SIGTTIN first; then canonical mode returns one
 * line (or what fits), non-canonical mode waits for VMIN bytes with VTIME as the inter-byte
 * timer (VMIN 0: VTIME is the whole read's timeout, and VTIME 0 too: no wait). A signal before
 * any byte is -ERESTARTSYS; O_NONBLOCK with nothing to read -EAGAIN.
 */
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to)
{
	u8 kbuf[256];
	size_t nr = iov_iter_count(to), total = 0;
	u64 timeout_ns = ~0ull, time_ns = 0; /* ~0ull: wait for ever */
	size_t minimum = 0;
	long ret = tty_check_change(tty, SIGTTIN);

	if (ret)
		return ret;
	if (!L(tty, ICANON)) {
		minimum = CC(tty, VMIN);
		if (minimum) {
			time_ns = (u64)CC(tty, VTIME) * 100000000ull;
		} else {
			timeout_ns = (u64)CC(tty, VTIME) * 100000000ull;
			minimum = 1;
		}
	}
	u64 deadline = timeout_ns == ~0ull ? 0 : ktime_get_ns() + timeout_ns;

	while (nr) {
		if (!readable(tty)) {
			if (tty_hung_up_p(file)) /* hung up while waiting: end of file */
				break;
			if (timeout_ns != ~0ull && (!timeout_ns || ktime_get_ns() >= deadline))
				break;
			if (file->f_flags & O_NONBLOCK) {
				ret = -EAGAIN;
				break;
			}
			if (signal_pending_current()) {
				ret = -ERESTARTSYS;
				break;
			}
			wait_input(tty, deadline);
			continue;
		}
		size_t copied = 0;
		bool line = copy_from_read_buf(tty, kbuf, &copied, min(nr, sizeof(kbuf)));

		if (copied && copy_to_iter(kbuf, copied, to) != copied) {
			ret = -EFAULT;
			break;
		}
		total += copied;
		nr -= copied;
		if (L(tty, ICANON)) {
			if (line)
				break;
			continue;
		}
		if (total >= minimum)
			break;
		if (time_ns) {
			timeout_ns = time_ns;
			deadline = ktime_get_ns() + time_ns;
		}
	}
	if (total)
		return (ssize_t)total;
	return ret;
}

/* Waits while ^S or TCOOFF holds output (until a hangup); -ERESTARTSYS on a signal. */
static long wait_flow(struct tty_struct *tty, struct file *file)
{
	return wait_event_interruptible(tty->write_wait, !tty->flow_stopped || tty_hung_up_p(file));
}

/*
 * Linux's n_tty_write: with TOSTOP a background writer gets SIGTTOU first; bytes go out with
 * OPOST's translations, in chunks, waiting while output is stopped.
 */
ssize_t n_tty_write(struct tty_struct *tty, struct file *file, struct iov_iter *from)
{
	u8 kbuf[256];
	ssize_t total = 0;
	long ret;

	if (L(tty, TOSTOP)) {
		ret = tty_check_change(tty, SIGTTOU);
		if (ret)
			return ret;
	}
	while (iov_iter_count(from)) {
		if (tty_hung_up_p(file)) /* hung up during the write */
			return total ? total : -EIO;
		if (tty->flow_stopped) {
			if (file->f_flags & O_NONBLOCK)
				return total ? total : -EAGAIN;
			ret = wait_flow(tty, file);
			if (ret)
				return total ? total : ret;
		}
		size_t want = min(sizeof(kbuf), iov_iter_count(from));
		size_t n = copy_from_iter(kbuf, want, from);
		u64 f = spin_lock_irqsave(&tty->lock);

		for (size_t i = 0; i < n; i++)
			n_tty_put_char(tty, kbuf[i]);
		spin_unlock_irqrestore(&tty->lock, f);
		total += (ssize_t)n;
		if (n < want)
			return total ? total : -EFAULT;
		/* A long write stops for a signal (what was sent counts) and lets others run. */
		if (iov_iter_count(from) && signal_pending_current())
			return total;
		cond_resched();
	}
	return total;
}

/* Linux's n_tty_set_termios: a switch of ICANON makes what is pending one line or raw bytes. */
void n_tty_set_termios(struct tty_struct *tty, const struct termios *old)
{
	u64 f = spin_lock_irqsave(&tty->lock);

	if ((old->c_lflag ^ tty->termios.c_lflag) & ICANON) {
		tty->lnext = false;
		for (size_t i = 0; i < ARRAY_SIZE(tty->read_flags); i++)
			tty->read_flags[i] = 0;
		if (!L(tty, ICANON) || !read_cnt(tty)) {
			tty->canon_head = tty->read_tail;
		} else {
			set_flag(tty, tty->read_head - 1, true);
			tty->canon_head = tty->read_head;
		}
	}
	if (!I(tty, IXON) && tty->flow_stopped) {
		tty->flow_stopped = false;
		wake_up(&tty->write_wait);
	}
	wake_up(&tty->read_wait);
	spin_unlock_irqrestore(&tty->lock, f);
}
