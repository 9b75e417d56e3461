// SPDX-License-Identifier: MIT
/*
 * Out-of-band data on AF_UNIX stream sockets (Linux 6.1 with CONFIG_AF_UNIX_OOB, as Debian's
 * kernel: queue_oob, unix_stream_recv_urg, manage_oob). send(MSG_OOB) sends its last byte as a
 * message of its own that becomes the receiver's mark (oob_skb; a later one replaces it). The
 * byte is read with recv(MSG_OOB) (EINVAL when there is none or SO_OOBINLINE is set), which
 * leaves an empty message behind at the mark; a normal read stops before the mark, and one that
 * starts at it drops the byte (or reads it as data with SO_OOBINLINE). SIOCATMARK says whether
 * the next byte is the mark; poll shows POLLPRI while there is one.
 */
#include "net/af_unix.h"
#include "kernel/errno.h"
#include "kernel/string.h"

void unix_skb_unlink(struct unix_sock *u, struct unix_skb *skb)
{
	struct unix_skb *prev = NULL;

	for (struct unix_skb *p = u->rq_head; p && p != skb; p = p->next)
		prev = p;
	if (prev)
		prev->next = skb->next;
	else if (u->rq_head == skb)
		u->rq_head = skb->next;
	else
		return; /* not queued here */
	if (u->rq_tail == skb)
		u->rq_tail = prev;
	u->rq_len--;
	if (u->oob_skb == skb)
		u->oob_skb = NULL;
	wake_up(&u->peer_wait);
}

int unix_stream_send_oob(struct unix_sock *u, struct msghdr *m, struct scm_cookie *scm)
{
	struct unix_sock *other = u->peer;
	int err;
	struct unix_skb *skb = unix_skb_alloc(u, 1, m->msg_flags & MSG_DONTWAIT, &err);

	if (!skb)
		return err;
	skb->scm.creds = scm->creds;
	err = unix_attach_fds(scm, skb); /* unless the data before it carried them */
	if (!err && copy_from_iter(skb->data, 1, m->msg_iter) < 1)
		err = -EFAULT;
	if (!err &&
	    (!other || (other->sk.sk_flags & SK_DEAD) || (other->sk.sk_shutdown & RCV_SHUTDOWN)))
		err = -EPIPE; /* no SIGPIPE here, as Linux's queue_oob */
	if (err) {
		unix_skb_free(skb);
		return err;
	}
	other->oob_skb = skb;
	unix_skb_queue_tail(other, skb);
	return 0;
}

int unix_stream_recv_urg(struct unix_sock *u, struct msghdr *m, int flags)
{
	struct unix_skb *oob = u->oob_skb, *read_skb = NULL;

	if ((u->sk.sk_flags & SK_OOBINLINE) || !oob)
		return -EINVAL;
	if (!(flags & MSG_PEEK)) {
		struct unix_skb *prev = NULL;

		u->oob_skb = NULL;
		for (struct unix_skb *p = u->rq_head; p && p != oob; p = p->next)
			prev = p;
		/* a message read to its end just before the mark goes now */
		if (prev && prev->consumed == prev->len) {
			unix_skb_unlink(u, prev);
			read_skb = prev;
		}
	}
	/* one byte, or none into an empty buffer (Linux's skb_copy_datagram_msg) */
	size_t n = iov_iter_count(m->msg_iter) ? 1 : 0;
	int err = copy_to_iter(oob->data + oob->consumed, n, m->msg_iter) < n ? -EFAULT : 0;
	if (!(flags & MSG_PEEK))
		oob->consumed += 1; /* the empty message stays at the mark */
	if (read_skb)
		unix_skb_free_deferred(u, read_skb);
	if (err)
		return err;
	m->msg_flags |= MSG_OOB;
	return 1;
}

struct unix_skb *unix_manage_oob(struct unix_sock *u, struct unix_skb *skb, int flags, int copied)
{
	if (skb->consumed == skb->len && !(flags & MSG_PEEK)) {
		/* the empty message a read out-of-band byte left: dropped, and the read looks no
		 * further this time (Linux's manage_oob returns no message) */
		unix_skb_unlink(u, skb);
		unix_skb_free_deferred(u, skb);
		return NULL;
	}
	if (skb != u->oob_skb)
		return skb;
	if (copied)
		return NULL; /* a read stops before the mark */
	if (!(flags & MSG_PEEK)) {
		u->oob_skb = NULL;
		if (u->sk.sk_flags & SK_OOBINLINE)
			return skb;
		unix_skb_unlink(u, skb); /* read past: the byte is lost */
		unix_skb_free_deferred(u, skb);
		return u->rq_head;
	}
	return (u->sk.sk_flags & SK_OOBINLINE) ? skb : skb->next;
}
