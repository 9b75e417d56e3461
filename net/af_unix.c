// SPDX-License-Identifier: MIT
/*
 * AF_UNIX sockets (Linux 6.1's net/unix/af_unix.c): SOCK_STREAM, SOCK_DGRAM (and SOCK_RAW,
 * which is a datagram socket) and SOCK_SEQPACKET; names in the file system (a socket inode made
 * by bind, found by connect through a path walk) and in the abstract namespace (a leading NUL
 * byte; one namespace per socket type, as Linux's hash); socketpair, listen, accept, connect,
 * shutdown, getname, poll and ioctl. Messages are in net/af_unix_msg.c; net/af_unix.h describes
 * the structures.
 */
#include "net/af_unix.h"
#include "fs/fs_struct.h"
#include "fs/poll.h"
#include "kernel/errno.h"
#include "kernel/compiler.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define SIOCOUTQ 0x5411
#define SIOCINQ 0x541B
#define SIOCATMARK 0x8905

/* Every socket with an abstract name (Linux hashes them; a list does for Warden's numbers). */
static struct unix_sock *unix_abstract_list;
static u32 unix_autobind_ordernum;

static const struct proto_ops unix_stream_ops, unix_dgram_ops, unix_seqpacket_ops;

void unix_sock_hold(struct unix_sock *u)
{
	u->refcnt++;
}

void unix_sock_put(struct unix_sock *u)
{
	if (--u->refcnt)
		return;
	if (u->path)
		iput(u->path);
	kfree(u);
	unix_sock_count(-1);
}

/* A new unix_sock with one reference (Linux's unix_create1). */
static struct unix_sock *unix_create1(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return NULL;
	sock_init_data(&u->sk, type);
	u->sk.sk_max_ack_backlog = UNIX_MAX_DGRAM_QLEN;
	u->refcnt = 1;
	init_waitqueue_head(&u->peer_wait);
	init_rwsem(&u->iolock);
	unix_sock_count(1);
	return u;
}

int unix_create(struct socket *sock, int protocol)
{
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		sock->type = SOCK_DGRAM;
		fallthrough; /* a raw unix socket is a datagram socket, as Linux's */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	struct unix_sock *u = unix_create1(sock->type);
	if (!u) {
		sock->ops = NULL;
		return -ENOMEM;
	}
	u->sk.sk_socket = sock;
	sock->sk = &u->sk;
	return 0;
}

/* Takes a socket's names away: its abstract name, and its file's link to it. */
static void unix_remove_names(struct unix_sock *u)
{
	for (struct unix_sock **p = &unix_abstract_list; *p; p = &(*p)->abstract_next) {
		if (*p == u) {
			*p = u->abstract_next;
			break;
		}
	}
	if (u->bound_inode && u->path->i_private == u)
		u->path->i_private = NULL;
	u->bound_inode = false;
}

/*
 * Lets go of a socket (Linux's unix_release_sock): it leaves its names and is SK_DEAD; a stream
 * or seqpacket peer sees the connection shut down both ways, and ECONNRESET when data was left
 * unread here or the connection was never accepted (embryo); queued messages are dropped, and
 * a listener's pending connections are released too.
 */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct unix_sock *peer = u->peer;
	int state = u->sk.sk_state;

	unix_remove_names(u);
	u->sk.sk_flags |= SK_DEAD;
	u->sk.sk_socket = NULL;
	u->sk.sk_shutdown = SHUTDOWN_MASK;
	u->sk.sk_state = TCP_CLOSE;
	u->peer = NULL;
	wake_up(&u->peer_wait);
	wake_up(&u->sk.sk_wq);
	u->oob_skb = NULL;
	if (peer) {
		if (u->sk.sk_type != SOCK_DGRAM) {
			struct unix_skb *unread = u->rq_head;

			/* an out-of-band byte's empty message is no unread data */
			if (unread && unread->consumed == unread->len)
				unread = unread->next;
			peer->sk.sk_shutdown = SHUTDOWN_MASK;
			if (unread || embryo)
				peer->sk.sk_err = ECONNRESET;
			wake_up(&peer->sk.sk_wq);
		}
		unix_dgram_peer_wake_disconnect(u, peer);
		wake_up(&peer->peer_wait);
		unix_sock_put(peer);
	}
	struct unix_skb *skb;
	while ((skb = unix_skb_dequeue(u))) {
		if (state == TCP_LISTEN)
			unix_release_sock(skb->from, true);
		unix_skb_free(skb);
	}
	unix_sock_put(u);
}

static int unix_release(struct socket *sock)
{
	if (!sock->sk)
		return 0;
	unix_release_sock(unix_sk(sock->sk), false);
	sock->sk = NULL;
	/* sockets it held in flight may now be unreachable (Linux's unix_release_sock) */
	unix_gc_request();
	return 0;
}

int unix_validate_addr(struct sockaddr_storage *addr, int len)
{
	if (len <= SUN_PATH_OFFSET || len > SUN_PATH_OFFSET + UNIX_PATH_MAX)
		return -EINVAL;
	if (addr->ss_family != AF_UNIX)
		return -EINVAL;
	return 0;
}

/* The socket bound to an abstract name of a type, or NULL. */
static struct unix_sock *unix_find_abstract(const void *name, int len, int type)
{
	for (struct unix_sock *u = unix_abstract_list; u; u = u->abstract_next)
		if (u->sk.sk_type == type && u->addr_len == len && !memcmp(u->addr, name, len))
			return u;
	return NULL;
}

/* A path name as a NUL-terminated string (Linux's unix_mkname_bsd): the bytes up to the first
 * NUL or the address's end. Returns the length of the name with its NUL. */
static int unix_mkname_bsd(struct sockaddr_storage *addr, int len)
{
	char *path = (char *)addr + SUN_PATH_OFFSET;

	((char *)addr)[len] = 0; /* sockaddr_storage has room past any valid length */
	return SUN_PATH_OFFSET + (int)strlen(path) + 1;
}

struct unix_sock *unix_find_other(struct sockaddr_storage *addr, int len, int type)
{
	char *path = (char *)addr + SUN_PATH_OFFSET;
	struct unix_sock *u;

	if (!path[0]) {
		u = unix_find_abstract(addr, len, type);
		if (!u)
			return ERR_PTR(-ECONNREFUSED);
		unix_sock_hold(u);
		return u;
	}
	struct inode *inode;
	unix_mkname_bsd(addr, len);
	int err = path_lookupat(AT_FDCWD, path, LOOKUP_FOLLOW, &inode);
	if (err)
		return ERR_PTR(err);
	err = inode_permission(inode, MAY_WRITE);
	if (!err && (!S_ISSOCK(inode->i_mode) || !inode->i_private))
		err = -ECONNREFUSED;
	u = err ? NULL : inode->i_private;
	if (u && u->sk.sk_type != type)
		err = -EPROTOTYPE;
	iput(inode);
	if (err)
		return ERR_PTR(err);
	unix_sock_hold(u);
	return u;
}

int unix_autobind(struct unix_sock *u)
{
	char name[SUN_PATH_OFFSET + 6];

	if (u->addr_len)
		return 0;
	for (u32 tries = 0; tries <= 0xFFFFF; tries++) {
		unix_autobind_ordernum = (unix_autobind_ordernum + 1) & 0xFFFFF;
		memset(name, 0, sizeof(name));
		name[0] = AF_UNIX;
		snprintf(name + SUN_PATH_OFFSET + 1, 6, "%05x", unix_autobind_ordernum);
		if (!unix_find_abstract(name, sizeof(name), u->sk.sk_type)) {
			memcpy(u->addr, name, sizeof(name));
			u->addr_len = sizeof(name);
			u->abstract_next = unix_abstract_list;
			unix_abstract_list = u;
			return 0;
		}
	}
	return -ENOSPC;
}

/*
 * bind to a path (Linux's unix_bind_bsd): a socket file is made with the socket's mode less the
 * umask (an existing name is EADDRINUSE); a socket that already has a name gets EINVAL and the
 * file is removed again.
 */
static int unix_bind_bsd(struct unix_sock *u, struct sockaddr_storage *addr, int len)
{
	struct nameidata nd;
	struct inode *inode;
	char *path = (char *)addr + SUN_PATH_OFFSET;

	len = unix_mkname_bsd(addr, len);
	int err = filename_create(AT_FDCWD, path, false, &nd);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	err = vfs_mknod(nd.dir, nd.last, nd.last_len, S_IFSOCK | (0777 & ~current_umask()), 0,
			&inode);
	if (err)
		goto out;
	if (u->addr_len) {
		struct dentry *d = d_lookup(nd.dir, nd.last, nd.last_len);

		if (d)
			vfs_unlink(nd.dir, d);
		iput(inode);
		err = -EINVAL;
		goto out;
	}
	inode->i_private = u;
	u->path = inode;
	u->bound_inode = true;
	memcpy(u->addr, addr, (size_t)len);
	u->addr_len = len;
out:
	nd_release(&nd);
	return err;
}

/* bind to an abstract name: EINVAL if named already, EADDRINUSE if a socket of the same type
 * has it. */
static int unix_bind_abstract(struct unix_sock *u, struct sockaddr_storage *addr, int len)
{
	if (u->addr_len)
		return -EINVAL;
	if (unix_find_abstract(addr, len, u->sk.sk_type))
		return -EADDRINUSE;
	memcpy(u->addr, addr, (size_t)len);
	u->addr_len = len;
	u->abstract_next = unix_abstract_list;
	unix_abstract_list = u;
	return 0;
}

static int unix_bind(struct socket *sock, struct sockaddr_storage *addr, int len)
{
	struct unix_sock *u = unix_sk(sock->sk);

	if (len == SUN_PATH_OFFSET && addr->ss_family == AF_UNIX)
		return unix_autobind(u);
	int err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (((char *)addr)[SUN_PATH_OFFSET])
		return unix_bind_bsd(u, addr, len);
	return unix_bind_abstract(u, addr, len);
}

static int unix_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;

	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (!unix_sk(sk)->addr_len)
		return -EINVAL;
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		return -EINVAL;
	if (backlog > sk->sk_max_ack_backlog)
		wake_up(&unix_sk(sk)->peer_wait);
	sk->sk_max_ack_backlog = backlog;
	sk->sk_state = TCP_LISTEN;
	current_ucred(&sk->sk_peercred);
	sk->sk_peercred_set = true;
	return 0;
}

/* Sleeps until other's queue has room or other goes; 0, -EAGAIN when *timeo ran out, or
 * sock_intr_errno. */
static int unix_wait_for_peer(struct unix_sock *other, long *timeo)
{
	return sock_wait_event(other->peer_wait,
			       !unix_recvq_full(other) || (other->sk.sk_flags & SK_DEAD) ||
				       (other->sk.sk_shutdown & RCV_SHUTDOWN),
			       timeo);
}

/*
 * connect of a stream or seqpacket socket (Linux's unix_stream_connect): the server side of
 * the connection is made at once and queued at the listener for accept(); the client is
 * connected when this returns. A full backlog sleeps, or is EAGAIN with O_NONBLOCK.
 */
static int unix_stream_connect(struct socket *sock, struct sockaddr_storage *addr, int len,
			       int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *newu, *other;
	int err = unix_validate_addr(addr, len);

	if (err)
		return err;
	if ((sock->flags & SOCK_PASSCRED_BIT) && !u->addr_len) {
		err = unix_autobind(u);
		if (err)
			return err;
	}
	newu = unix_create1(sock->type);
	if (!newu)
		return -ENOMEM;
	struct unix_skb *skb = kzalloc(sizeof(*skb), GFP_KERNEL);
	if (!skb) {
		unix_sock_put(newu);
		return -ENOMEM;
	}
	long timeo = sock_sndtimeo(&u->sk, flags & O_NONBLOCK);
	for (;;) {
		other = unix_find_other(addr, len, sock->type);
		if (IS_ERR(other)) {
			err = (int)PTR_ERR(other);
			goto out;
		}
		err = -ECONNREFUSED;
		if (other->sk.sk_state != TCP_LISTEN || (other->sk.sk_shutdown & RCV_SHUTDOWN))
			goto out_put;
		if (!unix_recvq_full(other))
			break;
		err = -EAGAIN;
		if (!timeo)
			goto out_put;
		err = unix_wait_for_peer(other, &timeo);
		unix_sock_put(other);
		if (err && err != -EAGAIN)
			goto out;
	}
	if (u->sk.sk_state != TCP_CLOSE) {
		err = u->sk.sk_state == TCP_ESTABLISHED ? -EISCONN : -EINVAL;
		goto out_put;
	}
	/* The server side: connected to us, named as the listener, its credentials ours. */
	unix_sock_hold(u);
	newu->peer = u;
	newu->sk.sk_state = TCP_ESTABLISHED;
	current_ucred(&newu->sk.sk_peercred);
	newu->sk.sk_peercred_set = true;
	memcpy(newu->addr, other->addr, sizeof(newu->addr));
	newu->addr_len = other->addr_len;
	if (other->path)
		newu->path = iget(other->path);
	u->sk.sk_peercred = other->sk.sk_peercred;
	u->sk.sk_peercred_set = true;
	u->sk.sk_state = TCP_ESTABLISHED;
	/* newu's own reference goes to the socket accept() gives it; the client's peer pointer
	 * and the pending message hold one each */
	unix_sock_hold(newu);
	u->peer = newu;
	unix_sock_hold(newu);
	skb->from = newu;
	unix_skb_queue_tail(other, skb);
	unix_sock_put(other);
	return 0;
out_put:
	unix_sock_put(other);
out:
	kfree(skb);
	unix_sock_put(newu);
	return err;
}

/* Linux's unix_may_send: other takes datagrams from anyone, or is connected to u. */
static bool unix_may_send(struct unix_sock *u, struct unix_sock *other)
{
	return !other->peer || other->peer == u;
}

/*
 * A datagram socket u left its peer old (Linux's unix_dgram_disconnected): the messages queued
 * on u are dropped, and then only, a former peer connected back learns it (ECONNRESET). Without
 * the drop, a socket that keeps reconnecting would keep every queue its peers filled.
 */
void unix_dgram_disconnected(struct unix_sock *u, struct unix_sock *old)
{
	struct unix_skb *skb;

	if (!u->rq_head)
		return;
	/* a reader peeking at a message may sleep in its copy; the messages are freed once the
	 * iolock is let go (their files' releases may take epmutex, ep->mtx, the collector) */
	unix_iolock_lock(u);
	while ((skb = unix_skb_dequeue(u)))
		unix_skb_free_deferred(u, skb);
	unix_iolock_unlock(u);
	wake_up(&u->peer_wait);
	if (!(old->sk.sk_flags & SK_DEAD) && old->peer == u) {
		old->sk.sk_err = ECONNRESET;
		wake_up(&old->sk.sk_wq);
	}
}

/*
 * connect of a datagram socket (Linux's unix_dgram_connect): sets the default destination
 * (EPERM if it is connected to another socket), AF_UNSPEC disconnects; a previous peer
 * connected back gets ECONNRESET.
 */
static int unix_dgram_connect(struct socket *sock, struct sockaddr_storage *addr, int len,
			      int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL;

	(void)flags;
	if (len < (int)sizeof(addr->ss_family))
		return -EINVAL;
	if (addr->ss_family != AF_UNSPEC) {
		int err = unix_validate_addr(addr, len);

		if (err)
			return err;
		if ((sock->flags & SOCK_PASSCRED_BIT) && !u->addr_len) {
			err = unix_autobind(u);
			if (err)
				return err;
		}
		other = unix_find_other(addr, len, sock->type);
		if (IS_ERR(other))
			return (int)PTR_ERR(other);
		if (!unix_may_send(u, other)) {
			unix_sock_put(other);
			return -EPERM;
		}
	}
	struct unix_sock *old = u->peer;
	u->peer = other; /* takes over the lookup's reference */
	u->sk.sk_state = other ? TCP_ESTABLISHED : TCP_CLOSE;
	if (old) {
		unix_dgram_peer_wake_disconnect_wakeup(u, old);
		if (old != other)
			unix_dgram_disconnected(u, old);
		wake_up(&old->peer_wait);
		unix_sock_put(old);
	}
	return 0;
}

/* Joins two new sockets back to back (Linux's unix_socketpair). */
static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = unix_sk(a->sk), *ub = unix_sk(b->sk);

	unix_sock_hold(ua);
	unix_sock_hold(ub);
	ua->peer = ub;
	ub->peer = ua;
	current_ucred(&ua->sk.sk_peercred);
	ub->sk.sk_peercred = ua->sk.sk_peercred;
	ua->sk.sk_peercred_set = ub->sk.sk_peercred_set = true;
	ua->sk.sk_state = ub->sk.sk_state = TCP_ESTABLISHED;
	return 0;
}

/*
 * accept (Linux's unix_accept): takes the oldest pending connection, sleeping for one unless
 * O_NONBLOCK (EAGAIN); EINVAL unless listening, and once the listener is shut down for reading.
 * The new socket inherits SO_PASSCRED.
 */
static int unix_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct unix_skb *skb;

	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (u->sk.sk_state != TCP_LISTEN)
		return -EINVAL;
	long timeo = sock_rcvtimeo(&u->sk, flags & O_NONBLOCK);
	for (;;) {
		if (u->sk.sk_err) {
			int err = -u->sk.sk_err;

			u->sk.sk_err = 0;
			return err;
		}
		skb = unix_skb_dequeue(u);
		if (skb)
			break;
		if (u->sk.sk_shutdown & RCV_SHUTDOWN)
			return -EINVAL;
		if (!timeo)
			return -EAGAIN;
		int err = sock_wait_event(
			u->sk.sk_wq,
			u->rq_head || u->sk.sk_err || (u->sk.sk_shutdown & RCV_SHUTDOWN), &timeo);
		if (err && err != -EAGAIN)
			return err;
	}
	struct unix_sock *newu = skb->from; /* its own reference becomes the socket's */

	unix_skb_free(skb);
	wake_up(&u->peer_wait);
	newsock->flags |= sock->flags & SOCK_PASSCRED_BIT;
	newsock->sk = &newu->sk;
	newu->sk.sk_socket = newsock;
	return 0;
}

static int unix_getname(struct socket *sock, struct sockaddr_storage *addr, int peer)
{
	struct unix_sock *u = unix_sk(sock->sk);

	if (peer) {
		u = u->peer;
		if (!u)
			return -ENOTCONN;
	}
	if (!u->addr_len) {
		addr->ss_family = AF_UNIX;
		((char *)addr)[SUN_PATH_OFFSET] = 0;
		return SUN_PATH_OFFSET;
	}
	memcpy(addr, u->addr, (size_t)u->addr_len);
	return u->addr_len;
}

/* shutdown (Linux's unix_shutdown): both ways of a stream or seqpacket connection are told to
 * the peer (its send side for our receive side and the reverse). */
static int unix_shutdown(struct socket *sock, int how)
{
	struct unix_sock *u = unix_sk(sock->sk), *other;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	int mode = how + 1;
	u->sk.sk_shutdown |= mode;
	wake_up(&u->sk.sk_wq);
	wake_up(&u->peer_wait);
	other = u->peer;
	if (other && sock->type != SOCK_DGRAM) {
		int peer_mode = 0;

		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		other->sk.sk_shutdown |= peer_mode;
		wake_up(&other->sk.sk_wq);
		wake_up(&other->peer_wait);
	}
	return 0;
}

/* SIOCINQ (FIONREAD): unread bytes (a datagram socket: the next message's); SIOCOUTQ: bytes
 * sent and not yet read, with Warden's per-message overhead. */
static long unix_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = unix_sk(sock->sk);
	u32 amount = 0;

	switch (cmd) {
	case SIOCOUTQ:
		amount = u->sk.sk_wmem_alloc;
		break;
	case SIOCINQ:
		if (u->sk.sk_state == TCP_LISTEN)
			return -EINVAL;
		for (struct unix_skb *skb = u->rq_head; skb; skb = skb->next) {
			amount += skb->len - skb->consumed;
			if (sock->type == SOCK_DGRAM)
				break;
		}
		break;
	case SIOCATMARK: /* whether the next byte is the out-of-band one */
		if (sock->type != SOCK_STREAM)
			return -EOPNOTSUPP;
		amount = u->rq_head && u->rq_head == u->oob_skb;
		break;
	default:
		return -ENOTTY;
	}
	return put_user_u32(amount, (u32 __user *)arg);
}

/* What every AF_UNIX socket type does alike. */
/* SO_PEEK_OFF: any value, a negative one turns the offset off; set between readers (Linux's
 * unix_set_peek_off). */
static int unix_set_peek_off(struct sock *sk, int val)
{
	struct unix_sock *u = unix_sk(sk);

	unix_iolock_lock(u);
	sk->sk_peek_off = val;
	unix_iolock_unlock(u);
	return 0;
}

#define UNIX_COMMON_OPS                                                              \
	.family = AF_UNIX, .release = unix_release, .bind = unix_bind,               \
	.socketpair = unix_socketpair, .getname = unix_getname, .ioctl = unix_ioctl, \
	.shutdown = unix_shutdown, .set_peek_off = unix_set_peek_off

/* What the connection-oriented types (stream, seqpacket) add: a server side to connect to. */
#define UNIX_CONNECTION_OPS \
	.connect = unix_stream_connect, .accept = unix_accept, .listen = unix_listen

static const struct proto_ops unix_stream_ops = {
	UNIX_COMMON_OPS,
	UNIX_CONNECTION_OPS,
	.poll = unix_poll,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_dgram_connect,
	.poll = unix_dgram_poll,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	UNIX_COMMON_OPS,
	UNIX_CONNECTION_OPS,
	.poll = unix_dgram_poll,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
};
