// SPDX-License-Identifier: MIT
/*
 * AF_UNIX messages (Linux 6.1's unix_stream_sendmsg, unix_stream_read_generic,
 * unix_dgram_sendmsg, __unix_dgram_recvmsg and the seqpacket wrappers): a stream is a queue of
 * messages read as one byte stream (never glued across different credentials when SO_PASSCRED
 * asks, and stopping after one that carried files); a datagram or seqpacket message is read
 * whole, the rest dropped (MSG_TRUNC). A sender's queued bytes count against its SO_SNDBUF:
 * past it, a send sleeps or is EAGAIN.
 */
#include "net/af_unix.h"
#include "fs/poll.h"
#include "kernel/errno.h"
#include "kernel/lockcheck.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/slab.h"

void unix_skb_queue_tail(struct unix_sock *u, struct unix_skb *skb)
{
	skb->next = NULL;
	if (u->rq_tail)
		u->rq_tail->next = skb;
	else
		u->rq_head = skb;
	u->rq_tail = skb;
	u->rq_len++;
	if (skb->scm.fp)
		unix_gc_queued(u, skb);
	/* Linux's sock_def_readable: an epoll item watching only EPOLLOUT is not woken */
	wake_up_poll(&u->sk.sk_wq, POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND);
}

struct unix_skb *unix_skb_dequeue(struct unix_sock *u)
{
	struct unix_skb *skb = u->rq_head;

	if (!skb)
		return NULL;
	u->rq_head = skb->next;
	if (!u->rq_head)
		u->rq_tail = NULL;
	u->rq_len--;
	wake_up(&u->peer_wait);
	return skb;
}

/* Frees a message: its files are closed, and its sender gets the buffer space back. */
void unix_skb_free(struct unix_skb *skb)
{
	struct unix_sock *from = skb->from;
	struct scm_cookie scm = { 0 };

	unix_detach_fds(&scm, skb); /* no longer in flight */
	scm_destroy(&scm);
	if (from) {
		from->sk.sk_wmem_alloc -= skb->truesize;
		/* Linux's unix_write_space: only EPOLLOUT watchers care */
		wake_up_poll(&from->sk.sk_wq, POLLOUT | POLLWRNORM | POLLWRBAND);
		unix_sock_put(from);
	}
	kfree(skb);
}

void unix_iolock_lock(struct unix_sock *u)
{
	down_write(&u->iolock);
	lockcheck_nofput_acquire(&u->iolock);
}

void unix_skb_free_deferred(struct unix_sock *u, struct unix_skb *skb)
{
	skb->next = u->iolock_free;
	u->iolock_free = skb;
}

void unix_iolock_unlock(struct unix_sock *u)
{
	struct unix_skb *skb = u->iolock_free;

	u->iolock_free = NULL;
	lockcheck_nofput_release(&u->iolock);
	up_write(&u->iolock);
	while (skb) {
		struct unix_skb *next = skb->next;

		unix_skb_free(skb);
		skb = next;
	}
}

bool unix_writable(struct unix_sock *u)
{
	return u->sk.sk_state != TCP_LISTEN &&
	       ((u64)u->sk.sk_wmem_alloc + 1) * 4 <= (u64)u->sk.sk_sndbuf;
}

/* Takes a pending error (positive errno), as Linux's sock_error. */
static int unix_sock_error(struct unix_sock *u)
{
	int err = u->sk.sk_err;

	u->sk.sk_err = 0;
	return err;
}

/* Whether u may queue another message now (Linux's sock_alloc_send_pskb's loop test). */
static bool unix_wmem_ok(struct unix_sock *u)
{
	return u->sk.sk_wmem_alloc < (u32)u->sk.sk_sndbuf;
}

struct unix_skb *unix_skb_alloc(struct unix_sock *u, size_t len, bool nonblock, int *err)
{
	long timeo = sock_sndtimeo(&u->sk, nonblock);

	for (;;) {
		*err = -unix_sock_error(u);
		if (*err)
			return NULL;
		*err = -EPIPE;
		if (u->sk.sk_shutdown & SEND_SHUTDOWN)
			return NULL;
		if (unix_wmem_ok(u))
			break;
		*err = -EAGAIN;
		if (!timeo)
			return NULL;
		*err = sock_wait_event(u->sk.sk_wq,
				       unix_wmem_ok(u) || u->sk.sk_err ||
					       (u->sk.sk_shutdown & SEND_SHUTDOWN),
				       &timeo);
		if (*err)
			return NULL;
	}
	struct unix_skb *skb = kzalloc(sizeof(*skb) + len, GFP_KERNEL);
	if (!skb) {
		*err = -ENOMEM;
		return NULL;
	}
	skb->len = (u32)len;
	skb->truesize = (u32)(len + UNIX_SKB_OVERHEAD);
	u->sk.sk_wmem_alloc += skb->truesize;
	unix_sock_hold(u);
	skb->from = u;
	return skb;
}

/* The sender's name into recvmsg's address, if it has one (Linux's unix_copy_addr). */
static void unix_copy_addr(struct msghdr *m, struct unix_sock *from)
{
	if (from->addr_len) {
		m->msg_namelen = from->addr_len;
		memcpy(m->msg_name, from->addr, (size_t)from->addr_len);
	}
}

/* Extra references to a message's files, for MSG_PEEK (Linux's unix_peek_fds). */
static int unix_peek_fds(struct scm_cookie *scm, struct unix_skb *skb)
{
	scm->fp = kmalloc(SCM_MAX_FD * sizeof(struct file *), GFP_KERNEL);
	if (!scm->fp)
		return -ENOMEM;
	for (int i = 0; i < skb->scm.nfp; i++)
		scm->fp[i] = get_file(skb->scm.fp[i]);
	scm->nfp = skb->scm.nfp;
	return 0;
}

/* The end of a stream send with no reader: SIGPIPE unless MSG_NOSIGNAL, when nothing went. */
static int unix_pipe_err(size_t sent, unsigned int flags)
{
	if (!sent && !(flags & MSG_NOSIGNAL))
		send_sig_pipe();
	return -EPIPE;
}

int unix_stream_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(sock->sk), *other;
	struct scm_cookie scm;
	size_t sent = 0;
	int err = scm_send(sock, m, &scm);

	if (err)
		return err;
	wait_for_unix_gc(&scm);
	if (m->msg_flags & MSG_OOB) {
		err = -EOPNOTSUPP;
		if (!len)
			goto out;
		len--; /* the last byte goes out of band, after the rest */
	}
	if (m->msg_namelen) {
		err = u->sk.sk_state == TCP_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
		goto out;
	}
	other = u->peer;
	err = -ENOTCONN;
	if (!other)
		goto out;
	if (u->sk.sk_shutdown & SEND_SHUTDOWN) {
		err = unix_pipe_err(sent, m->msg_flags);
		goto out;
	}
	err = 0; /* a send of 0 bytes to a connected peer is 0, as Linux's */
	while (sent < len) {
		size_t size = min(len - sent, (size_t)((u->sk.sk_sndbuf >> 1) - 64));

		size = min(size, (size_t)UNIX_SKB_MAX);
		struct unix_skb *skb = unix_skb_alloc(u, size, m->msg_flags & MSG_DONTWAIT, &err);
		if (!skb)
			break;
		skb->scm.creds = scm.creds;
		err = unix_attach_fds(&scm, skb); /* only the first message carries the files */
		if (err) {
			unix_skb_free(skb);
			break;
		}
		if (copy_from_iter(skb->data, size, m->msg_iter) < size) {
			unix_skb_free(skb);
			err = -EFAULT;
			break;
		}
		other = u->peer;
		if ((other->sk.sk_flags & SK_DEAD) || (other->sk.sk_shutdown & RCV_SHUTDOWN)) {
			unix_skb_free(skb);
			err = unix_pipe_err(sent, m->msg_flags);
			break;
		}
		unix_skb_queue_tail(other, skb);
		sent += size;
	}
	if (sent == len && (m->msg_flags & MSG_OOB)) {
		err = unix_stream_send_oob(u, m, &scm);
		if (!err)
			sent++;
	}
out:
	scm_destroy(&scm);
	return sent ? (int)sent : err;
}

/* Whether two messages' credentials are the same (Linux's unix_skb_scm_eq). */
static bool unix_creds_eq(const struct ucred *a, const struct ucred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/* Waits in a stream read until a message arrives after last, an error or the end; 0,
 * -EAGAIN when *timeo ran out, or sock_intr_errno. */
static int unix_stream_data_wait(struct unix_sock *u, struct unix_skb *last, long *timeo)
{
	return sock_wait_event(
		u->sk.sk_wq,
		u->rq_tail != last || u->sk.sk_err || (u->sk.sk_shutdown & RCV_SHUTDOWN), timeo);
}

/* Copies what a stream read takes from one message: its bytes from skip, the files moving to
 * scm (or copied, with MSG_PEEK). Returns the bytes or -EFAULT. */
static int unix_stream_copy(struct unix_skb *skb, u32 skip, size_t size, struct msghdr *m,
			    int flags, struct scm_cookie *scm)
{
	size_t chunk = min((size_t)(skb->len - skb->consumed - skip), size);

	if (copy_to_iter(skb->data + skb->consumed + skip, chunk, m->msg_iter) < chunk)
		return -EFAULT;
	if (skb->scm.fp && !scm->fp) {
		if (flags & MSG_PEEK)
			unix_peek_fds(scm, skb);
		else
			unix_detach_fds(scm, skb);
	}
	return (int)chunk;
}

int unix_stream_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct scm_cookie scm = { 0 };
	bool check_creds = false, addr_done = false;
	size_t target = (flags & MSG_WAITALL) ? size : min((size_t)u->sk.sk_rcvlowat, size);
	int copied = 0, err = 0;
	u32 skip; /* MSG_PEEK: bytes to pass over before copying (SO_PEEK_OFF) */
	long timeo = sock_rcvtimeo(&u->sk, flags & MSG_DONTWAIT);

	if (u->sk.sk_state != TCP_ESTABLISHED)
		return -EINVAL;
	if (flags & MSG_OOB) {
		unix_iolock_lock(u);
		err = unix_stream_recv_urg(u, m, flags);
		unix_iolock_unlock(u);
		return err;
	}
	if (!target)
		target = 1;
	unix_iolock_lock(u);
	skip = (u32)max(sk_peek_offset(&u->sk, flags), 0);
	do {
		struct unix_skb *skb, *last;
	redo:
		last = skb = u->rq_head;
	again:
		if (skb) {
			skb = unix_manage_oob(u, skb, flags, copied);
			if (!skb && copied)
				break;
		}
		if (!skb) {
			if ((size_t)copied >= target)
				break;
			err = -unix_sock_error(u);
			if (err || (u->sk.sk_shutdown & RCV_SHUTDOWN))
				break;
			err = -EAGAIN;
			if (!timeo)
				break;
			unix_iolock_unlock(u);
			err = unix_stream_data_wait(u, last, &timeo);
			unix_iolock_lock(u);
			if (err && err != -EAGAIN) { /* -EAGAIN: the time ran out, one more look */
				unix_iolock_unlock(u);
				scm_destroy(&scm);
				return copied ? copied : err;
			}
			goto redo;
		}
		/* the bytes a peek passes over, and an out-of-band byte's empty message */
		while (skip >= skb->len - skb->consumed) {
			skip -= skb->len - skb->consumed;
			last = skb;
			skb = skb->next;
			if (!skb)
				goto again;
		}
		if (check_creds) {
			if (!unix_creds_eq(&skb->scm.creds, &scm.creds))
				break;
		} else if (sock->flags & SOCK_PASSCRED_BIT) {
			scm.creds = skb->scm.creds;
			check_creds = true;
		}
		if (m->msg_name && !addr_done) {
			unix_copy_addr(m, skb->from);
			addr_done = true;
		}
		int chunk = unix_stream_copy(skb, skip, size, m, flags, &scm);
		if (chunk < 0) {
			if (!copied)
				copied = chunk;
			break;
		}
		copied += chunk;
		size -= (size_t)chunk;
		if (flags & MSG_PEEK) {
			/* on to the next message even when size is spent: its files come too */
			sk_peek_offset_fwd(&u->sk, chunk);
			if (skb->scm.fp)
				break;
			skip = 0;
			last = skb;
			skb = skb->next;
			if (skb)
				goto again;
			break;
		}
		skb->consumed += (u32)chunk;
		sk_peek_offset_bwd(&u->sk, chunk);
		if (skb->consumed < skb->len)
			break;
		unix_skb_unlink(u, skb);
		unix_skb_free_deferred(u, skb);
		if (scm.fp)
			break;
	} while (size);
	unix_iolock_unlock(u);
	scm_recv(sock, m, &scm);
	return copied ? copied : err;
}

/* Whether a datagram's destination died: a connected sender is disconnected (ECONNREFUSED), a
 * seqpacket one gets EPIPE; 0 means look the name up again. */
static int unix_dgram_dead_peer(struct unix_sock *u, struct unix_sock *other)
{
	if (u->sk.sk_type == SOCK_SEQPACKET)
		return -EPIPE;
	if (u->peer != other)
		return 0;
	u->peer = NULL;
	u->sk.sk_state = TCP_CLOSE;
	unix_dgram_peer_wake_disconnect_wakeup(u, other);
	unix_dgram_disconnected(u, other);
	unix_sock_put(other);
	return -ECONNREFUSED;
}

/*
 * Delivers a datagram to other (Linux's unix_dgram_sendmsg after the message is built): EPERM
 * if other is connected elsewhere, EPIPE if it shut reading down, and a full queue of a socket
 * not connected back sleeps or is EAGAIN. 1: other is dead.
 */
static int unix_dgram_deliver(struct unix_sock *u, struct unix_sock *other, struct unix_skb *skb,
			      long *timeo)
{
	for (;;) {
		if (!(!other->peer || other->peer == u))
			return -EPERM;
		if (other->sk.sk_flags & SK_DEAD)
			return 1; /* the caller decides */
		if (other->sk.sk_shutdown & RCV_SHUTDOWN)
			return -EPIPE;
		if (other == u || other->peer == u ||
		    other->rq_len <= (u32)other->sk.sk_max_ack_backlog)
			break;
		/* a poller of u learns when other drains (Linux's unix_dgram_peer_wake_me) */
		if (!*timeo) {
			if (u->peer == other && !unix_dgram_peer_wake_me(u, other))
				continue;
			return -EAGAIN;
		}
		int err = sock_wait_event(other->peer_wait,
					  other->rq_len <= (u32)other->sk.sk_max_ack_backlog ||
						  (other->sk.sk_flags & SK_DEAD) ||
						  (other->sk.sk_shutdown & RCV_SHUTDOWN),
					  timeo);
		if (err && err != -EAGAIN)
			return err;
	}
	unix_skb_queue_tail(other, skb);
	return 0;
}

int unix_dgram_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL;
	struct sockaddr_storage *sunaddr = NULL;
	struct unix_skb *skb = NULL;
	struct scm_cookie scm;
	int err = scm_send(sock, m, &scm);

	if (err)
		return err;
	wait_for_unix_gc(&scm);
	err = -EOPNOTSUPP;
	if (m->msg_flags & MSG_OOB)
		goto out;
	if (m->msg_namelen) {
		sunaddr = m->msg_name;
		err = unix_validate_addr(sunaddr, m->msg_namelen);
		if (err)
			goto out;
	} else {
		err = -ENOTCONN;
		other = u->peer;
		if (!other)
			goto out;
		unix_sock_hold(other);
	}
	if ((sock->flags & SOCK_PASSCRED_BIT) && !u->addr_len) {
		err = unix_autobind(u);
		if (err)
			goto out;
	}
	err = -EMSGSIZE;
	if (len > (size_t)u->sk.sk_sndbuf - 32)
		goto out;
	skb = unix_skb_alloc(u, len, m->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		goto out;
	skb->scm.creds = scm.creds;
	err = unix_attach_fds(&scm, skb);
	if (err)
		goto out;
	if (copy_from_iter(skb->data, len, m->msg_iter) < len) {
		err = -EFAULT;
		goto out;
	}
	long timeo = sock_sndtimeo(&u->sk, m->msg_flags & MSG_DONTWAIT);
	for (;;) {
		if (!other) {
			err = -ECONNRESET;
			if (!sunaddr)
				goto out;
			other = unix_find_other(sunaddr, m->msg_namelen, u->sk.sk_type);
			if (IS_ERR(other)) {
				err = (int)PTR_ERR(other);
				other = NULL;
				goto out;
			}
		}
		err = unix_dgram_deliver(u, other, skb, &timeo);
		if (err != 1)
			break;
		struct unix_sock *dead = other;
		other = NULL;
		err = unix_dgram_dead_peer(u, dead);
		unix_sock_put(dead);
		if (err)
			goto out;
	}
	if (!err) {
		skb = NULL;
		err = (int)len;
	}
out:
	if (other)
		unix_sock_put(other);
	if (skb)
		unix_skb_free(skb);
	scm_destroy(&scm);
	return err;
}

/* Waits for a datagram after last (the queue's tail when it looked) as Linux's
 * __skb_wait_for_more_packets: 0 to look again (also when *timeo ran out), 1 at the end of a
 * socket shut down for reading, or -errno. */
static int unix_dgram_wait(struct unix_sock *u, struct unix_skb *last, long *timeo)
{
	if (u->rq_tail != last)
		return 0;
	if (u->sk.sk_err)
		return -unix_sock_error(u);
	if (u->sk.sk_shutdown & RCV_SHUTDOWN)
		return 1;
	if (u->sk.sk_type == SOCK_SEQPACKET && u->sk.sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	int err = sock_wait_event(
		u->sk.sk_wq,
		u->rq_tail != last || u->sk.sk_err || (u->sk.sk_shutdown & RCV_SHUTDOWN), timeo);
	return err == -EAGAIN ? 0 : err;
}

/*
 * The datagram a read takes (Linux's __skb_try_recv_from_queue): the first, or with MSG_PEEK
 * and a peek offset (*skip, SO_PEEK_OFF, negative: none) the one the offset falls in, passing
 * over whole messages (an empty one only once a peek saw it). *skip becomes the offset into the
 * message returned.
 */
static struct unix_skb *unix_dgram_pick(struct unix_sock *u, int flags, int *skip)
{
	bool peek_at_off = (flags & MSG_PEEK) && *skip >= 0;
	u32 off = peek_at_off ? (u32)*skip : 0;

	for (struct unix_skb *skb = u->rq_head; skb; skb = skb->next) {
		if (flags & MSG_PEEK) {
			if (peek_at_off && off >= skb->len && (off || skb->peeked)) {
				off -= skb->len;
				continue;
			}
			if (!skb->len)
				skb->peeked = true;
		}
		*skip = (int)off;
		return skb;
	}
	return NULL;
}

int unix_dgram_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct scm_cookie scm = { 0 };
	struct unix_skb *skb, *last;
	long timeo = sock_rcvtimeo(&u->sk, flags & MSG_DONTWAIT);
	int err, skip;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	for (;;) {
		err = -unix_sock_error(u);
		if (err)
			return err;
		unix_iolock_lock(u);
		skip = sk_peek_offset(&u->sk, flags);
		last = u->rq_tail;
		skb = unix_dgram_pick(u, flags, &skip);
		if (skb)
			break;
		unix_iolock_unlock(u);
		if (!timeo) {
			/* EOF on a disconnected non-blocking seqpacket socket */
			if (u->sk.sk_type == SOCK_SEQPACKET && (u->sk.sk_shutdown & RCV_SHUTDOWN))
				return 0;
			return -EAGAIN;
		}
		err = unix_dgram_wait(u, last, &timeo);
		if (err)
			return err < 0 ? err : 0;
	}
	if (!(flags & MSG_PEEK))
		unix_skb_dequeue(u);
	wake_up(&u->peer_wait);
	if (m->msg_name)
		unix_copy_addr(m, skb->from);
	if (size > skb->len - (u32)skip)
		size = skb->len - (u32)skip;
	else if (size < skb->len - (u32)skip)
		m->msg_flags |= MSG_TRUNC;
	if (copy_to_iter(skb->data + skip, size, m->msg_iter) < size) {
		err = -EFAULT;
		goto out;
	}
	scm.creds = skb->scm.creds;
	if (!(flags & MSG_PEEK)) {
		if (skb->scm.fp)
			unix_detach_fds(&scm, skb);
		sk_peek_offset_bwd(&u->sk, (int)skb->len);
	} else {
		sk_peek_offset_fwd(&u->sk, (int)size);
		if (skb->scm.fp)
			unix_peek_fds(&scm, skb);
	}
	err = (flags & MSG_TRUNC) ? (int)(skb->len - (u32)skip) : (int)size;
out:
	if (!(flags & MSG_PEEK))
		unix_skb_free_deferred(u, skb);
	unix_iolock_unlock(u);
	/* the files the control buffer has no room for are closed: not under the iolock */
	if (err >= 0)
		scm_recv(sock, m, &scm);
	return err;
}

int unix_seqpacket_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(sock->sk);
	int err = -unix_sock_error(u);

	if (err)
		return err;
	if (u->sk.sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	m->msg_namelen = 0;
	return unix_dgram_sendmsg(sock, m, len);
}

int unix_seqpacket_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	if (sock->sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(sock, m, size, flags);
}
