// SPDX-License-Identifier: MIT
/*
 * Readiness of AF_UNIX sockets (Linux 6.1's unix_poll, unix_dgram_poll and the peer_wake relay).
 *
 * A datagram socket connected to a peer that is not connected back may not send while the
 * peer's queue is full, whoever filled it. Its pollers sleep on its own queue, and nothing there
 * would tell them the peer's queue drained; so a poll that finds the peer full hooks the
 * socket's peer_wake entry on the peer's peer_wait (which each dequeue wakes): the first wake-up
 * takes the entry off again and wakes the socket's pollers with POLLOUT (Linux's
 * unix_dgram_peer_wake_relay). The entry is on at most one queue, its peer's, and comes off
 * when the socket leaves that peer (connect elsewhere, disconnect, a dead peer, release), so it
 * never outlives either socket.
 */
#include "net/af_unix.h"
#include "fs/poll.h"
#include "kernel/compiler.h"

#define UNIX_POLLOUT (POLLOUT | POLLWRNORM | POLLWRBAND)

/*
 * The relay, called under other->peer_wait's lock by a wake-up of it: the entry leaves that
 * queue (unlinked here, the lock being held), and u's pollers learn they may send.
 */
static int unix_dgram_peer_wake_relay(struct wait_queue_entry *e, unsigned int key)
{
	struct unix_sock *u = container_of(e, struct unix_sock, peer_wake);
	struct unix_sock *other = u->peer_wake_other;

	(void)key;
	if (other) {
		for (struct wait_queue_entry **pp = &other->peer_wait.head; *pp;
		     pp = &(*pp)->next) {
			if (*pp == e) {
				*pp = e->next;
				break;
			}
		}
		e->next = NULL;
		u->peer_wake_other = NULL;
	}
	wake_up_poll(&u->sk.sk_wq, UNIX_POLLOUT);
	return 0;
}

/* Puts u's relay on other's peer_wait unless it is there already: true if it was put. */
static bool unix_dgram_peer_wake_connect(struct unix_sock *u, struct unix_sock *other)
{
	if (u->peer_wake_other)
		return false;
	u->peer_wake_other = other;
	add_wait_queue_func(&other->peer_wait, &u->peer_wake, unix_dgram_peer_wake_relay, 0);
	return true;
}

void unix_dgram_peer_wake_disconnect(struct unix_sock *u, struct unix_sock *other)
{
	if (u->peer_wake_other != other)
		return;
	remove_wait_queue(&other->peer_wait, &u->peer_wake);
	u->peer_wake_other = NULL;
}

void unix_dgram_peer_wake_disconnect_wakeup(struct unix_sock *u, struct unix_sock *other)
{
	unix_dgram_peer_wake_disconnect(u, other);
	wake_up_poll(&u->sk.sk_wq, UNIX_POLLOUT);
}

bool unix_dgram_peer_wake_me(struct unix_sock *u, struct unix_sock *other)
{
	bool connected = unix_dgram_peer_wake_connect(u, other);

	if (unix_recvq_full(other))
		return true;
	if (connected)
		unix_dgram_peer_wake_disconnect(u, other);
	return false;
}

/* Readiness of a socket (Linux's unix_poll and unix_dgram_poll): the same bits but for how
 * writability is decided. */
static __poll_t unix_poll_common(struct unix_sock *u, bool dgram)
{
	struct sock *sk = &u->sk;
	__poll_t mask = 0;

	if (sk->sk_err)
		mask |= POLLERR;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->rq_head)
		mask |= POLLIN | POLLRDNORM;
	if (!dgram && u->oob_skb)
		mask |= POLLPRI;
	if (sk->sk_type != SOCK_DGRAM && sk->sk_state == TCP_CLOSE)
		mask |= POLLHUP;
	bool writable = unix_writable(u);
	if (dgram && writable) {
		struct unix_sock *other = u->peer;

		/* a peer not connected back, its queue full: wait for it to drain */
		if (other && other->peer != u && unix_recvq_full(other) &&
		    unix_dgram_peer_wake_me(u, other))
			writable = false;
	}
	if (writable)
		mask |= UNIX_POLLOUT;
	return mask;
}

__poll_t unix_poll(struct file *file, struct socket *sock, poll_table *pt)
{
	struct unix_sock *u = unix_sk(sock->sk);

	poll_wait(file, &u->sk.sk_wq, pt);
	return unix_poll_common(u, false);
}

__poll_t unix_dgram_poll(struct file *file, struct socket *sock, poll_table *pt)
{
	struct unix_sock *u = unix_sk(sock->sk);

	poll_wait(file, &u->sk.sk_wq, pt);
	return unix_poll_common(u, true);
}
