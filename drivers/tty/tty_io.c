// SPDX-License-Identifier: MIT
/*
 * The terminal's files and ioctls (Linux's tty_io.c, tty_jobctrl.c, tty_ioctl.c): opening
 * /dev/ttyS0, /dev/console and /dev/tty, the controlling terminal of a session, job control
 * checks, and the termios, window size and process group ioctls with Linux's errors.
 */
#include "drivers/tty/tty.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define ENOIOCTLCMD 515

/* Linux's tty_std_termios as the 8250 driver and console=ttyS0 leave it (9600 baud, CLOCAL). */
struct tty_struct ttyS0 = {
	.name = "ttyS0",
	.termios = {
		.c_iflag = ICRNL | IXON,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		/* INIT_C_CC: ^C ^\ DEL ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V */
		.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
	},
	.c_ispeed = 9600,
	.c_ospeed = 9600,
	.lock = SPINLOCK_INIT,
	.read_wait = WAIT_QUEUE_HEAD_INIT,
	.write_wait = WAIT_QUEUE_HEAD_INIT,
};

/*
 * A file open on a terminal (Linux's tty_file_private). Linux hangs a file up by switching its
 * f_op to hung_up_tty_fops; here the file remembers the terminal's hangup count at open and is
 * hung up once the count has moved on. A /dev/console file never is (Linux's console files
 * write through redirected_tty_write, which __tty_hangup passes over).
 */
struct tty_file_private {
	struct tty_struct *tty;
	u32 hangups;
	bool console;
};

static struct tty_struct *file_tty(const struct file *file)
{
	return ((struct tty_file_private *)file->private_data)->tty;
}

bool tty_hung_up_p(const struct file *file)
{
	const struct tty_file_private *priv = file->private_data;

	return !priv->console && priv->hangups != priv->tty->hangups;
}

/* The current process's controlling terminal (Linux's get_current_tty), or NULL. */
static struct tty_struct *get_current_tty(void)
{
	return current->signal->tty;
}

/*
 * /proc/PID/stat's tty_nr and tpgid (Linux's do_task_stat): t's controlling terminal as an
 * encoded device number (new_encode_dev of 4:64; 0: none) and its foreground process group
 * (0 when it has none; -1 without a terminal).
 */
void task_tty_stat(const struct task_struct *t, unsigned int *tty_nr, int *tpgid)
{
	*tty_nr = 0;
	*tpgid = -1;
	if (t->signal->tty) {
		*tty_nr = (64 & 0xff) | (4 << 8);
		*tpgid = t->signal->tty->pgrp;
	}
}

/* Does the current process lead its session (Linux's signal->leader)? */
static bool session_leader(void)
{
	return current->signal->sid == current->tgid;
}

/* Is sig ignored or blocked by the current task (tty_jobctrl's is_ignored)? */
static bool is_ignored(int sig)
{
	return (current->blocked >> (sig - 1) & 1) ||
	       current->sighand->action[sig - 1].handler == SIG_IGN;
}

int tty_check_change(struct tty_struct *tty, int sig)
{
	if (get_current_tty() != tty)
		return 0;
	if (!tty->pgrp || current->signal->pgid == tty->pgrp)
		return 0;
	if (is_ignored(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (is_current_pgrp_orphaned())
		return -EIO;
	kill_pgrp(current->signal->pgid, sig, 1);
	return -ERESTARTSYS;
}

/* Makes tty the controlling terminal of the current session, its group the foreground. */
static void proc_set_tty(struct tty_struct *tty)
{
	tty->session = current->signal->sid;
	tty->pgrp = current->signal->pgid;
	current->signal->tty = tty;
}

/* Every process of session sid loses its controlling terminal (Linux's session_clear_tty). */
static void session_clear_tty(int sid)
{
	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t->pid && t->signal->sid == sid)
			t->signal->tty = NULL;
}

/*
 * Hangs the terminal up when its session leader exits (Linux's __tty_hangup with
 * exit_session): every file open on it but /dev/console's is hung up, its session's processes
 * lose it (a leader among them gets SIGHUP and SIGCONT), the foreground group gets SIGHUP, the
 * line discipline starts afresh and the tty belongs to no session.
 */
static void tty_vhangup_session(struct tty_struct *tty)
{
	int pgrp = tty->pgrp;

	tty->hangups++;
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (!t->pid || !tty->session || t->signal->sid != tty->session)
			continue;
		if (t->signal->tty == tty)
			t->signal->tty = NULL;
		if (t->pid == t->tgid && t->signal->sid == t->tgid && t->state < EXIT_ZOMBIE &&
		    t != current) {
			send_group_signal(t, SIGHUP);
			send_group_signal(t, SIGCONT);
		}
	}
	if (pgrp)
		kill_pgrp(pgrp, SIGHUP, 1);
	n_tty_flush_input(tty);
	u64 f = spin_lock_irqsave(&tty->lock);
	tty->lnext = false;
	tty->column = 0;
	spin_unlock_irqrestore(&tty->lock, f);
	wake_up(&tty->read_wait);
	wake_up(&tty->write_wait);
	tty->session = 0;
	tty->pgrp = 0;
}

void disassociate_ctty_on_exit(void)
{
	/* Linux's group_dead: only the last thread of the process lets the terminal go */
	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t != current && t->pid && t->tgid == current->tgid && t->state < EXIT_ZOMBIE)
			return;
	disassociate_ctty(1);
}

void disassociate_ctty(int on_exit)
{
	struct tty_struct *tty = get_current_tty();

	if (current->signal->sid != current->tgid)
		return; /* not a session leader */
	if (tty && on_exit) {
		tty_vhangup_session(tty);
	} else if (tty && tty->pgrp) {
		int pgrp = tty->pgrp;

		kill_pgrp(pgrp, SIGHUP, on_exit);
		if (!on_exit)
			kill_pgrp(pgrp, SIGCONT, on_exit);
	} else if (!tty && on_exit) {
		return; /* Linux signals tty_old_pgrp here: Warden never hangs up a live leader */
	}
	tty = get_current_tty();
	if (tty) {
		tty->session = 0;
		tty->pgrp = 0;
	}
	session_clear_tty(current->signal->sid);
}

/*
 * Opens a terminal: /dev/tty is the caller's controlling one (ENXIO without), /dev/console and
 * /dev/ttyS0 are ttyS0. A session leader without a terminal that opens ttyS0 without O_NOCTTY
 * gets it as its controlling terminal, if no session has it (/dev/console and /dev/tty never).
 */
static int tty_open(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = &ttyS0;
	struct tty_file_private *priv;
	bool noctty = file->f_flags & O_NOCTTY;

	if (inode->i_rdev == mkdev(5, 0)) {
		tty = get_current_tty();
		if (!tty)
			return -ENXIO;
		noctty = true;
	} else if (inode->i_rdev == mkdev(5, 1)) {
		noctty = true;
	}
	priv = kmalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->tty = tty;
	priv->hangups = tty->hangups;
	priv->console = inode->i_rdev == mkdev(5, 1);
	stream_open(file);
	file->private_data = priv;
	tty->count++;
	if (!noctty && session_leader() && !get_current_tty() && !tty->session)
		proc_set_tty(tty);
	return 0;
}

/* The last close throws away unread input, as Linux frees the line discipline's buffers. */
static void tty_release(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = file_tty(file);

	(void)inode;
	kfree(file->private_data);
	file->private_data = NULL;
	if (--tty->count == 0)
		n_tty_flush_input(tty);
}

/* A hung-up file reads end of file (Linux's hung_up_tty_read). */
static ssize_t tty_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	(void)ppos;
	if (tty_hung_up_p(file))
		return 0;
	return n_tty_read(file_tty(file), file, to);
}

/* A hung-up file takes no more output: EIO (Linux's hung_up_tty_write). */
static ssize_t tty_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	(void)ppos;
	if (tty_hung_up_p(file))
		return -EIO;
	return n_tty_write(file_tty(file), file, from);
}

/*
 * TCSETS, TCSETSW, TCSETSF (Linux's set_termios and tty_set_termios): job control first, then
 * the copy; the speeds its codes name are loaded (the old c_[io]speed stand for BOTHER), ADDRB
 * stays as it was, and the serial driver writes back the speed it takes.
 */
static long set_termios(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	struct ktermios k, old = { tty->termios, tty->c_ispeed, tty->c_ospeed };
	long ret = tty_check_change(tty, SIGTTOU);

	if (ret)
		return ret;
	k = old;
	if (copy_from_user(&k.t, (const void __user *)arg, sizeof(k.t)))
		return -EFAULT;
	k.c_ispeed = tty_termios_input_baud_rate(&k);
	k.c_ospeed = tty_termios_baud_rate(&k);
	if (cmd == TCSETSF)
		n_tty_flush_input(tty);
	/* Output is sent synchronously: nothing to drain for TCSETSW. */
	k.t.c_cflag ^= (k.t.c_cflag ^ old.t.c_cflag) & ADDRB;
	serial_set_termios(&k, &old);
	tty->termios = k.t;
	tty->c_ispeed = k.c_ispeed;
	tty->c_ospeed = k.c_ospeed;
	n_tty_set_termios(tty, &old.t);
	return 0;
}

/* TIOCSPGRP (Linux's tiocspgrp): a group of the caller's session becomes the foreground. */
static long tiocspgrp(struct tty_struct *tty, unsigned long arg)
{
	u32 nr;
	long ret = tty_check_change(tty, SIGTTOU);

	if (ret == -EIO)
		return -ENOTTY;
	if (ret)
		return ret;
	if (get_user_u32(&nr, (const u32 __user *)arg))
		return -EFAULT;
	if ((int)nr < 0)
		return -EINVAL;
	if (get_current_tty() != tty || tty->session != current->signal->sid)
		return -ENOTTY;
	/* find_vpid and session_of_pgrp: a member of the group, else the task of that pid */
	int sid = -1;
	for (struct task_struct *t = first_task(); t; t = t->run_next) {
		if (!t->pid || !nr)
			continue;
		if (t->signal->pgid == (int)nr) {
			sid = t->signal->sid;
			break;
		}
		if (t->pid == (int)nr && sid < 0)
			sid = t->signal->sid;
	}
	if (sid < 0)
		return -ESRCH;
	if (sid != current->signal->sid)
		return -EPERM;
	tty->pgrp = (int)nr;
	return 0;
}

/* TIOCSCTTY (Linux's tiocsctty): a session leader without a terminal takes this one. */
static long tiocsctty(struct tty_struct *tty, struct file *file, unsigned long arg)
{
	if (session_leader() && current->signal->sid == tty->session)
		return 0;
	if (!session_leader() || get_current_tty())
		return -EPERM;
	if (tty->session) {
		if (arg != 1) /* uid 0 has CAP_SYS_ADMIN: arg 1 steals the terminal */
			return -EPERM;
		session_clear_tty(tty->session);
		tty->session = 0;
		tty->pgrp = 0;
	}
	/* A file not open for reading is EPERM only without CAP_SYS_ADMIN: uid 0 has it. */
	(void)file;
	proc_set_tty(tty);
	return 0;
}

/*
 * TIOCNOTTY (Linux's no_tty): the caller lets its controlling terminal go; when it leads the
 * session, the foreground group gets SIGHUP and SIGCONT and the whole session lets go.
 */
static long tiocnotty(struct tty_struct *tty)
{
	if (get_current_tty() != tty)
		return -ENOTTY;
	disassociate_ctty(0);
	current->signal->tty = NULL;
	return 0;
}

/* Job control ioctls (Linux's tty_jobctrl_ioctl); -ENOIOCTLCMD for the others. */
static long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	switch (cmd) {
	case TIOCNOTTY:
		return tiocnotty(tty);
	case TIOCSCTTY:
		return tiocsctty(tty, file, arg);
	case TIOCGPGRP:
		if (get_current_tty() != tty)
			return -ENOTTY;
		return put_user_u32((u32)tty->pgrp, (u32 __user *)arg) ? -EFAULT : 0;
	case TIOCSPGRP:
		return tiocspgrp(tty, arg);
	case TIOCGSID:
		if (get_current_tty() != tty || !tty->session)
			return -ENOTTY;
		return put_user_u32((u32)tty->session, (u32 __user *)arg) ? -EFAULT : 0;
	}
	return -ENOIOCTLCMD;
}

/* TCXONC: output stopped or restarted, or a STOP/START character sent. */
static long tcxonc(struct tty_struct *tty, unsigned long arg)
{
	long ret = tty_check_change(tty, SIGTTOU);

	if (ret)
		return ret;
	switch (arg) {
	case TCOOFF:
		tty->flow_stopped = true;
		break;
	case TCOON:
		tty->flow_stopped = false;
		wake_up(&tty->write_wait);
		break;
	case TCIOFF:
	case TCION: {
		u8 c = tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];

		if (c)
			tty->write(&c, 1);
		break;
	}
	default:
		return -EINVAL;
	}
	return 0;
}

/* The line discipline's ioctls (n_tty_ioctl, n_tty_ioctl_helper, tty_mode_ioctl). */
static long n_tty_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	long ret;

	switch (cmd) {
	case TIOCOUTQ: /* output goes out synchronously: nothing is ever queued */
		return put_user_u32(0, (u32 __user *)arg) ? -EFAULT : 0;
	case TIOCINQ:
		return put_user_u32(n_tty_inq(tty), (u32 __user *)arg) ? -EFAULT : 0;
	case TCXONC:
		return tcxonc(tty, arg);
	case TCFLSH:
		ret = tty_check_change(tty, SIGTTOU);
		if (ret)
			return ret;
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			n_tty_flush_input(tty);
		return 0;
	case TCGETS:
		return copy_to_user((void __user *)arg, &tty->termios, sizeof(tty->termios))
			       ? -EFAULT
			       : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, cmd, arg);
	}
	return -ENOTTY;
}

/*
 * TIOCSTI (Linux 6.1's tiocsti): one byte as if typed, through the line discipline (echo,
 * signals, editing). Another terminal than the caller's own needs CAP_SYS_ADMIN, which every
 * Warden process (uid 0) has.
 */
static long tiocsti(struct tty_struct *tty, unsigned long arg)
{
	u8 ch;

	if (copy_from_user(&ch, (const void __user *)arg, 1))
		return -EFAULT;
	n_tty_receive_char(tty, ch);
	return 0;
}

/* The ioctls of a terminal file, in Linux's tty_ioctl order. */
static long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file_tty(file);
	struct winsize ws;
	long ret;

	if (tty_hung_up_p(file)) /* Linux's hung_up_tty_ioctl */
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TIOCSTI:
		return tiocsti(tty, arg);
	case TIOCGWINSZ:
		return copy_to_user((void __user *)arg, &tty->winsize, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (const void __user *)arg, sizeof(ws)))
			return -EFAULT;
		if (memcmp(&ws, &tty->winsize, sizeof(ws)) && tty->pgrp)
			kill_pgrp(tty->pgrp, SIGWINCH, 1);
		tty->winsize = ws;
		return 0;
	default:
		ret = tty_jobctrl_ioctl(tty, file, cmd, arg);
		if (ret != -ENOIOCTLCMD)
			return ret;
	}
	return n_tty_ioctl(tty, cmd, arg);
}

/* poll and select on a terminal: the line discipline decides. */
static __poll_t tty_poll(struct file *file, poll_table *wait)
{
	if (tty_hung_up_p(file)) /* Linux's hung_up_tty_poll */
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	return n_tty_poll(file_tty(file), file, wait);
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};
