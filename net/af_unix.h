/* SPDX-License-Identifier: MIT */
/*
 * AF_UNIX internals shared by net/af_unix.c (sockets, names, connections) and
 * net/af_unix_msg.c (the messages). Linux's net/unix/af_unix.c in two files.
 *
 * A unix_sock starts with its struct sock and is reference-counted: its socket holds one, a
 * peer pointing at it one, every message it sent and that waits unread in a queue one (so the
 * receiver can name the sender and give the sender's buffer space back), and a call sleeping
 * on it one. A released socket is SK_DEAD and leaves its names; it is freed with its last
 * reference.
 *
 * A message (struct unix_skb, Linux's sk_buff) sits in the receiver's queue with its bytes,
 * the files and credentials it carries, and a reference to its sender, whose sk_wmem_alloc it
 * is charged to until read. A listening socket's queue holds one message per connection that
 * accept() has not taken; its sender is the server side of that connection (the "embryo"),
 * already connected to the client.
 */
#ifndef WARDEN_NET_AF_UNIX_H
#define WARDEN_NET_AF_UNIX_H

#include "net/socket.h"
#include "kernel/rwsem.h"

#define UNIX_PATH_MAX 108
#define SUN_PATH_OFFSET 2 /* offsetof(struct sockaddr_un, sun_path) */
#define UNIX_MAX_DGRAM_QLEN 10 /* net.unix.max_dgram_qlen */
/* Bytes a message costs its sender beyond its data (Linux's skb truesize overhead). */
#define UNIX_SKB_OVERHEAD 576
/* The largest piece of a stream write in one message: SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ */
#define UNIX_SKB_MAX (3776 + 32768)

struct unix_skb {
	struct unix_skb *next;
	struct unix_sock *from; /* the sender, a reference */
	u32 len; /* bytes of data */
	u32 consumed; /* bytes of a stream message already read */
	u32 truesize; /* charged to from's sk_wmem_alloc */
	bool peeked; /* an empty datagram MSG_PEEK saw: SO_PEEK_OFF passes over it after */
	struct scm_cookie scm; /* files (SCM_RIGHTS) and credentials */
	/* whose in-flight count scm's files are charged to once the message is queued (NULL
	 * before), the sender's uid, and the count's memory allocated at attach for that */
	struct unix_user_inflight *fp_user;
	u32 fp_uid;
	struct unix_user_inflight *fp_spare;
	char data[];
};

struct unix_sock {
	struct sock sk;
	u32 refcnt;
	struct unix_sock *peer; /* a reference: the connected peer, or NULL */
	int addr_len; /* 0: no name; else the sockaddr_un's length in addr */
	char addr[SUN_PATH_OFFSET + UNIX_PATH_MAX + 1];
	struct inode *path; /* a reference to the file a path name made (or the listener's) */
	bool bound_inode; /* path's i_private points at this socket */
	struct unix_sock *abstract_next; /* the list of sockets with abstract names */
	struct unix_skb *rq_head, *rq_tail; /* the receive queue */
	u32 rq_len; /* messages in it */
	struct unix_skb *oob_skb; /* the out-of-band byte's message in the queue, or NULL */
	struct wait_queue_head peer_wait; /* senders waiting for room in this queue */
	/* Linux's peer_wake: this datagram socket's entry on its peer's peer_wait while a poll
	 * found the peer's queue full, and that peer (NULL: on no queue). net/af_unix_poll.c */
	struct wait_queue_entry peer_wake;
	struct unix_sock *peer_wake_other;
	/* Linux's u->iolock, held for writing as a sleeping mutex: serialises the readers of
	 * the receive queue (stream, datagram and out-of-band receives, and the drop of a
	 * datagram queue on disconnect), since a reader may sleep while it copies out of a
	 * message (a fault on the user buffer) and another must not free that message. It is
	 * let go around the wait for data. Taken with the kernel lock held; nothing nests in it
	 * but mmap_lock (a fault in the copy) and the allocators. */
	struct rw_semaphore iolock;
	/* Messages its holder took out of the queue, freed once it lets go (unix_iolock_unlock):
	 * their files' last fput may take epmutex and ep->mtx or run the collector. */
	struct unix_skb *iolock_free;
	/* The garbage collector's (net/unix_gc.c, under unix_gc_lock): how many references to
	 * this socket's file sit in messages (in flight), its place on the list of sockets in
	 * flight, and the collector's marks and scratch links while it runs. */
	u32 inflight;
	struct unix_sock *gc_next, *gc_prev;
	u32 gc_flags, gc_refs;
	struct unix_sock *gc_cand_next, *gc_stack_next;
};

static inline struct unix_sock *unix_sk(struct sock *sk)
{
	return (struct unix_sock *)sk;
}

/* Whether a queue is over its limit: more messages than the backlog (Linux's unix_recvq_full). */
static inline bool unix_recvq_full(struct unix_sock *u)
{
	return u->rq_len > (u32)u->sk.sk_max_ack_backlog;
}

/* References to a unix_sock: the last put frees it. */
void unix_sock_hold(struct unix_sock *u);
void unix_sock_put(struct unix_sock *u);

/* The socket a name refers to, with a reference (Linux's unix_find_other): ENOENT or another
 * path error, ECONNREFUSED when no socket of that type is there, EPROTOTYPE for a path bound by
 * a socket of another type. The address must be valid (unix_validate_addr). */
struct unix_sock *unix_find_other(struct sockaddr_storage *addr, int len, int type);
/* EINVAL unless the address is an AF_UNIX name of a valid length. */
int unix_validate_addr(struct sockaddr_storage *addr, int len);
/* Gives an unnamed socket an abstract name of five hex digits (Linux's unix_autobind). */
int unix_autobind(struct unix_sock *u);

/*
 * The garbage collector (net/unix_gc.c, Linux's net/unix/garbage.c and scm.c). Files passed in
 * SCM_RIGHTS messages are "in flight": each counts against its sender's user
 * (RLIMIT_NOFILE: ETOOMANYREFS), and a unix socket in flight counts references to its own file
 * that only a message holds. Sockets whose every reference is in flight in messages queued on
 * other such sockets, out of reach of any descriptor, are found and their messages dropped.
 */
struct unix_user_inflight;
/* The socket behind a file passed in a message, or NULL if it is no unix socket. */
struct unix_sock *unix_get_socket(struct file *file);
/* Moves scm's files into skb and counts its sockets in flight (Linux's unix_attach_fds):
 * ETOOMANYREFS when the sender's user has more in flight than its RLIMIT_NOFILE allows, ENOMEM.
 * The user is charged when the message is queued (unix_gc_queued). */
int unix_attach_fds(struct scm_cookie *scm, struct unix_skb *skb);
/* The same without the limit, charged to uid (the self-tests' fabricated messages). */
int __unix_attach_fds(struct scm_cookie *scm, struct unix_skb *skb, u32 uid);
/* Moves skb's files to scm for the receiver, no longer in flight (Linux's unix_detach_fds). */
void unix_detach_fds(struct scm_cookie *scm, struct unix_skb *skb);
/* skb, which carries files, was queued on receiver: its sender's user is charged for them, and
 * a cycle may have formed. */
void unix_gc_queued(struct unix_sock *receiver, struct unix_skb *skb);
/* Collects unreachable cycles of sockets in flight (Linux's unix_gc); never nests. */
void unix_gc(void);
/* A socket was released: collect now if sockets are in flight, or once the running fput or
 * collection is done. */
void unix_gc_request(void);
/* Called on each send (scm: what it carries): collects now when too many sockets are in
 * flight, and waits for a collection in progress (Linux's wait_for_unix_gc). */
void wait_for_unix_gc(struct scm_cookie *scm);
/* A unix_sock was made or freed (counted for /proc/warden/unix). */
void unix_sock_count(int delta);

/* Readiness (net/af_unix_poll.c, Linux's unix_poll and unix_dgram_poll). */
__poll_t unix_poll(struct file *file, struct socket *sock, struct poll_table_struct *pt);
__poll_t unix_dgram_poll(struct file *file, struct socket *sock, struct poll_table_struct *pt);
/* Hooks u's relay on other's peer_wait if other's queue is full: true if it is (u may not send;
 * its pollers are woken with POLLOUT once other's queue drains). Linux's
 * unix_dgram_peer_wake_me. */
bool unix_dgram_peer_wake_me(struct unix_sock *u, struct unix_sock *other);
/* Takes u's relay off other's peer_wait (u leaves other: disconnect, release). */
void unix_dgram_peer_wake_disconnect(struct unix_sock *u, struct unix_sock *other);
/* The same, and u's pollers are told it may be writable now (a new peer, or none). */
void unix_dgram_peer_wake_disconnect_wakeup(struct unix_sock *u, struct unix_sock *other);

/* Out-of-band data (net/af_unix_oob.c). */
/* Takes skb out of u's queue wherever it is (and off the mark). */
void unix_skb_unlink(struct unix_sock *u, struct unix_skb *skb);
/* Queues the last byte of a send(MSG_OOB) as the peer's mark (Linux's queue_oob): EPIPE, the
 * allocation's and attachment's errors, EFAULT. */
int unix_stream_send_oob(struct unix_sock *u, struct msghdr *m, struct scm_cookie *scm);
/* recv(MSG_OOB) (Linux's unix_stream_recv_urg): 1, or EINVAL, EFAULT. */
int unix_stream_recv_urg(struct unix_sock *u, struct msghdr *m, int flags);
/* What a stream read does at the message skb at its start (Linux's manage_oob): the message to
 * read, or NULL (none now; with copied, stop before the mark). */
struct unix_skb *unix_manage_oob(struct unix_sock *u, struct unix_skb *skb, int flags, int copied);

/* Messages (net/af_unix_msg.c). */
void unix_skb_queue_tail(struct unix_sock *u, struct unix_skb *skb);
struct unix_skb *unix_skb_dequeue(struct unix_sock *u);
void unix_skb_free(struct unix_skb *skb);
/* Takes u->iolock (counted by the lock checker: no file's last fput while it is held). */
void unix_iolock_lock(struct unix_sock *u);
/* Frees skb, taken out of u's queue under u->iolock, once the holder lets go of it. */
void unix_skb_free_deferred(struct unix_sock *u, struct unix_skb *skb);
/* Lets go of u->iolock, then frees the messages deferred meanwhile. */
void unix_iolock_unlock(struct unix_sock *u);

/* A datagram socket u left its peer old: u's queue is dropped, old told if connected back. */
void unix_dgram_disconnected(struct unix_sock *u, struct unix_sock *old);
/* A new message of len bytes from u, waiting for buffer space unless nonblock: EAGAIN, EPIPE,
 * a pending error, -ERESTARTSYS. */
struct unix_skb *unix_skb_alloc(struct unix_sock *u, size_t len, bool nonblock, int *err);
/* Whether u may send: fewer bytes queued than a quarter of its buffer (Linux's unix_writable). */
bool unix_writable(struct unix_sock *u);
int unix_stream_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_stream_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags);
int unix_dgram_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_dgram_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags);
int unix_seqpacket_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_seqpacket_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags);

#endif
