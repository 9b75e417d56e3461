/* SPDX-License-Identifier: MIT */
/*
 * Sockets (Linux's include/linux/net.h and net/socket.c): a socket is an open file of an inode
 * in sockfs (S_IFSOCK | 0777, "socket:[INO]" in /proc/PID/fd) whose private_data is a struct
 * socket. The system calls find the socket behind a descriptor (ENOTSOCK for any other file),
 * copy addresses and message headers in and out with Linux's checks, and hand the work to the
 * family's proto_ops. Warden has one family, AF_UNIX (net/af_unix.c); every other one is
 * EAFNOSUPPORT, as on a Linux built without it: Warden has no network stack.
 *
 * Concurrency: socket state is protected by the kernel lock (docs/locking.md); a call that
 * sleeps (a full buffer, an empty queue, accept, a full backlog) holds a reference to every
 * socket it touches while it sleeps and checks the state again when it wakes.
 */
#ifndef WARDEN_NET_SOCKET_H
#define WARDEN_NET_SOCKET_H

#include "fs/vfs.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/wait.h"

#define AF_UNSPEC 0
#define AF_UNIX 1
#define NPROTO 46 /* AF_MAX: families at or beyond it are EAFNOSUPPORT before the type check */

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11 /* types at or beyond it are EINVAL */
#define SOCK_TYPE_MASK 0xf
#define SOCK_CLOEXEC O_CLOEXEC
#define SOCK_NONBLOCK O_NONBLOCK

/* send/recv flags */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000
#define MSG_CMSG_COMPAT 0x80000000

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define RCV_SHUTDOWN 1 /* sk_shutdown bits */
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

/* SOL_SOCKET options (asm-generic/socket.h) */
#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_PEEK_OFF 42
#define SO_RCVTIMEO_OLD 20 /* struct __kernel_old_timeval */
#define SO_SNDTIMEO_OLD 21
#define SO_RCVTIMEO_NEW 66 /* struct __kernel_sock_timeval: the same 16 bytes on x86-64 */
#define SO_SNDTIMEO_NEW 67

#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD 253

/* The sysctls Linux 6.1 boots with (net.core.*) and the floors of sock.h on x86-64. */
#define SYSCTL_WMEM_DEFAULT 212992
#define SYSCTL_RMEM_DEFAULT 212992
#define SYSCTL_WMEM_MAX 212992
#define SYSCTL_RMEM_MAX 212992
#define SYSCTL_OPTMEM_MAX 20480
#define SOCK_MIN_SNDBUF 4608 /* 2 * (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff))) */
#define SOCK_MIN_RCVBUF 2304
#define SOMAXCONN 4096

struct sockaddr_storage {
	u16 ss_family;
	char __data[126];
};

struct ucred {
	s32 pid;
	u32 uid;
	u32 gid;
};

/* The user's struct msghdr (56 bytes on x86-64). */
struct user_msghdr {
	void __user *msg_name;
	s32 msg_namelen;
	u32 __pad1;
	struct iovec __user *msg_iov;
	u64 msg_iovlen;
	void __user *msg_control;
	u64 msg_controllen;
	u32 msg_flags;
	u32 __pad2;
};

struct cmsghdr {
	u64 cmsg_len;
	s32 cmsg_level;
	s32 cmsg_type;
};

#define CMSG_ALIGN(len) (((len) + sizeof(u64) - 1) & ~(sizeof(u64) - 1))
#define CMSG_LEN(len) (sizeof(struct cmsghdr) + (len))
#define CMSG_SPACE(len) (sizeof(struct cmsghdr) + CMSG_ALIGN(len))

/* Files passed with SCM_RIGHTS and the sender's credentials (Linux's scm_cookie). */
struct scm_cookie {
	struct file **fp; /* references, or NULL */
	int nfp;
	struct ucred creds;
};

/*
 * A message on its way (Linux's struct msghdr in the kernel): the address (kernel copy), the
 * data, and the control buffer: a kernel copy for sendmsg, the user's for recvmsg, which
 * put_cmsg advances as it fills it.
 */
struct msghdr {
	void *msg_name;
	int msg_namelen;
	struct iov_iter *msg_iter; /* the data */
	void *msg_control; /* sendmsg: kernel memory */
	void __user *msg_control_user; /* recvmsg: where the next cmsg goes */
	size_t msg_controllen;
	unsigned int msg_flags;
};

struct socket;

/* A family's operations (Linux's proto_ops); NULL is EOPNOTSUPP. */
struct sock;

struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr_storage *addr, int len);
	int (*connect)(struct socket *sock, struct sockaddr_storage *addr, int len, int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* The socket's own address (peer 0) or its peer's: its length, or -errno. */
	int (*getname)(struct socket *sock, struct sockaddr_storage *addr, int peer);
	__poll_t (*poll)(struct file *file, struct socket *sock, struct poll_table_struct *pt);
	long (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*sendmsg)(struct socket *sock, struct msghdr *m, size_t len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t len, int flags);
	/* SO_PEEK_OFF (NULL: EOPNOTSUPP) */
	int (*set_peek_off)(struct sock *sk, int val);
};

/* sk_state: Linux's TCP_* names, which AF_UNIX uses too */
#define TCP_ESTABLISHED 1
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* sk_flags */
#define SK_DEAD 0x1 /* released: no more data reaches it */
#define SK_DEBUG 0x2
#define SK_REUSEADDR 0x4
#define SK_KEEPALIVE 0x8
#define SK_BROADCAST 0x10
#define SK_DONTROUTE 0x20
#define SK_OOBINLINE 0x40
#define SK_LINGER 0x80
#define SK_REUSEPORT 0x100

/*
 * A socket's protocol state common to every family (Linux's struct sock); a family's own
 * structure starts with it. It may live without a struct socket: a connection accept() has not
 * taken yet.
 */
struct sock {
	int sk_type; /* SOCK_* */
	int sk_state; /* TCP_CLOSE, TCP_LISTEN, TCP_ESTABLISHED */
	int sk_shutdown; /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int sk_err; /* a pending error (positive errno), reported once by SO_ERROR or a call */
	int sk_sndbuf, sk_rcvbuf; /* bytes, as SO_SNDBUF/SO_RCVBUF report them */
	int sk_max_ack_backlog; /* listen's backlog; net.unix.max_dgram_qlen for datagrams */
	u32 sk_wmem_alloc; /* bytes this socket has queued at its receivers, not yet read */
	u32 sk_flags; /* SK_* */
	int sk_priority, sk_rcvlowat, sk_lingertime;
	int sk_peek_off; /* SO_PEEK_OFF: where the next MSG_PEEK starts; -1 (the default): off */
	long sk_rcvtimeo, sk_sndtimeo; /* SO_RCVTIMEO/SO_SNDTIMEO in jiffies (HZ 250, as Debian's
					* kernel), MAX_SCHEDULE_TIMEOUT: no limit */
	struct ucred sk_peercred; /* SO_PEERCRED: the peer's at connect or socketpair */
	bool sk_peercred_set; /* else SO_PEERCRED gives pid 0 and the overflow ids */
	struct socket *sk_socket; /* NULL until accept() gives it one, and after release */
	struct wait_queue_head sk_wq; /* readers, writers, accept and poll: any change wakes it */
};

#define MAX_SCHEDULE_TIMEOUT 0x7fffffffffffffffL

/* Where a read with flags starts: SO_PEEK_OFF's offset for MSG_PEEK, else 0 (Linux's
 * sk_peek_offset; -1 when the offset is off). */
static inline int sk_peek_offset(const struct sock *sk, int flags)
{
	return (flags & MSG_PEEK) ? sk->sk_peek_off : 0;
}

/* A read took val bytes: the peek offset moves back with them (Linux's sk_peek_offset_bwd). */
static inline void sk_peek_offset_bwd(struct sock *sk, int val)
{
	if (sk->sk_peek_off >= 0)
		sk->sk_peek_off = sk->sk_peek_off - val > 0 ? sk->sk_peek_off - val : 0;
}

/* A peek copied val bytes: the next starts after them (Linux's sk_peek_offset_fwd). */
static inline void sk_peek_offset_fwd(struct sock *sk, int val)
{
	if (sk->sk_peek_off >= 0)
		sk->sk_peek_off += val;
}

/* How long a blocking call may sleep (Linux's sock_rcvtimeo and sock_sndtimeo): not at all
 * when it must not block. */
static inline long sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_rcvtimeo;
}

static inline long sock_sndtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_sndtimeo;
}

/* A signal ended a sleep (Linux's sock_intr_errno): restart the call if it had no time limit,
 * else EINTR (a restarted call would start its timeout again). */
static inline int sock_intr_errno(long timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -EINTR;
}

/* The monotonic deadline of a timeout in jiffies from now, 0 for none. */
u64 sock_timeo_deadline(long timeo);
/* The jiffies left until deadline (at least 1 before it, 0 after). */
long sock_timeo_left(u64 deadline);

/*
 * Sleeps on wq until cond holds (0), a signal comes (sock_intr_errno) or the *timeo jiffies
 * pass (-EAGAIN, *timeo becomes 0), as Linux's waits with schedule_timeout; *timeo is left with
 * the time that remains. The caller checks *timeo first: 0 means it must not sleep.
 */
#define sock_wait_event(wq, cond, timeo)                                  \
	({                                                                \
		struct wait_queue_entry __we;                             \
		u64 __deadline = sock_timeo_deadline(*(timeo));           \
		int __ret = 0;                                            \
		for (;;) {                                                \
			prepare_to_wait(&(wq), &__we);                    \
			if (cond)                                         \
				break;                                    \
			if (signal_pending_current()) {                   \
				__ret = sock_intr_errno(*(timeo));        \
				break;                                    \
			}                                                 \
			if (__deadline && !sock_timeo_left(__deadline)) { \
				__ret = -EAGAIN;                          \
				break;                                    \
			}                                                 \
			sock_schedule_timeout(__deadline);                \
		}                                                         \
		finish_wait(&(wq), &__we);                                \
		if (__deadline)                                           \
			*(timeo) = sock_timeo_left(__deadline);           \
		__ret;                                                    \
	})

/* schedule() with a wake-up at deadline (0: none); the caller prepared to wait. */
void sock_schedule_timeout(u64 deadline);

/* What a socket file's private_data points to. */
struct socket {
	short type; /* SOCK_* */
	unsigned long flags; /* SOCK_PASSCRED_BIT */
	struct file *file; /* not a reference: the socket lives as long as its file */
	struct inode *inode; /* a reference to its sockfs inode */
	struct sock *sk; /* the family's state (a struct unix_sock) */
	const struct proto_ops *ops;
};

#define SOCK_PASSCRED_BIT 0x1

extern struct super_block sockfs_sb;

/* The socket behind an open file, or NULL if it is not one. */
struct socket *sock_from_file(struct file *file);

/* A new unconnected socket with an inode in sockfs but no file yet (NULL: no memory). */
struct socket *sock_alloc(void);
/* Frees a socket that has no file: its family's release and its inode. */
void sock_release(struct socket *sock);
/* A new socket of a family, type and protocol with Linux's checks (Linux's __sock_create). */
int sock_create(int family, int type, int protocol, struct socket **res);
/* The open file of a new socket (O_RDWR | flags' O_NONBLOCK); NULL (socket released) without
 * memory. */
struct file *sock_alloc_file(struct socket *sock, int flags);

/* Writes one control message at m->msg_control_user (Linux's put_cmsg): MSG_CTRUNC when it
 * does not fit; -EFAULT. */
int put_cmsg(struct msghdr *m, int level, int type, int len, const void *data);

/* Parses sendmsg's control messages (SCM_RIGHTS, SCM_CREDENTIALS) into scm (Linux's scm_send). */
int scm_send(struct socket *sock, struct msghdr *m, struct scm_cookie *scm);
/* Drops what scm holds (the files). */
void scm_destroy(struct scm_cookie *scm);
/* Delivers scm to recvmsg's control buffer: credentials if SO_PASSCRED, then the files as new
 * descriptors (Linux's scm_recv); whatever is not delivered is dropped. */
void scm_recv(struct socket *sock, struct msghdr *m, struct scm_cookie *scm);

/* Fills the common part of a new sock (Linux's sock_init_data): Linux's default buffer sizes. */
void sock_init_data(struct sock *sk, int type);
/* The caller's credentials as SO_PEERCRED gives them (Linux's cred_to_ucred: tgid, euid, egid). */
void current_ucred(struct ucred *uc);
/* setsockopt and getsockopt at SOL_SOCKET (net/sock.c, Linux's sk_setsockopt/sk_getsockopt). */
long sock_setsockopt(struct socket *sock, int optname, char __user *optval, int optlen);
long sock_getsockopt(struct socket *sock, int optname, char __user *optval, int __user *optlen);

struct seq_buf;
/* /proc/warden/unix: AF_UNIX sockets alive and the garbage collector's counts (net/unix_gc.c). */
int unix_gc_stats_show(struct seq_buf *m);
/* Runs the AF_UNIX collection a release asked for inside fput (the outermost fput calls it). */
void unix_gc_run_deferred(void);
/* The number of unix sockets in flight (Linux's unix_tot_inflight, net/unix_gc.c). */
extern u32 unix_tot_inflight;
/* fput dropped a reference to f, not its last, while sockets are in flight: if f is a unix
 * socket whose every reference is now in flight, the collector may find a cycle again. */
void unix_gc_file_put(struct file *f);

/* The AF_UNIX family (net/af_unix.c): creates its state in sock (Linux's unix_create). */
int unix_create(struct socket *sock, int protocol);

/* The system calls (net/socket.c). */
long sys_socket(int family, int type, int protocol);
long sys_socketpair(int family, int type, int protocol, int __user *usockvec);
long sys_bind(int fd, void __user *umyaddr, int addrlen);
long sys_connect(int fd, void __user *uservaddr, int addrlen);
long sys_listen(int fd, int backlog);
long sys_accept(int fd, void __user *upeer_sockaddr, int __user *upeer_addrlen);
long sys_accept4(int fd, void __user *upeer_sockaddr, int __user *upeer_addrlen, int flags);
long sys_getsockname(int fd, void __user *usockaddr, int __user *usockaddr_len);
long sys_getpeername(int fd, void __user *usockaddr, int __user *usockaddr_len);
long sys_sendto(int fd, void __user *buff, size_t len, unsigned int flags, void __user *addr,
		int addr_len);
long sys_recvfrom(int fd, void __user *ubuf, size_t size, unsigned int flags, void __user *addr,
		  int __user *addr_len);
long sys_sendmsg(int fd, struct user_msghdr __user *msg, unsigned int flags);
long sys_recvmsg(int fd, struct user_msghdr __user *msg, unsigned int flags);
long sys_shutdown(int fd, int how);
long sys_setsockopt(int fd, int level, int optname, char __user *optval, int optlen);
long sys_getsockopt(int fd, int level, int optname, char __user *optval, int __user *optlen);

#endif
