// SPDX-License-Identifier: MIT
/*
 * The socket system calls and socket files (Linux's net/socket.c): sockfs, the file operations
 * that turn read/write/poll into the family's calls, and each syscall's checks in Linux 6.1's
 * order. net/socket.h says what a socket is.
 */
#include "net/socket.h"
#include "fs/fdtable.h"
#include "fs/poll.h"
#include "fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

/* SOCKFS_MAGIC; st_dev 0:8, the device sockfs gets on Linux as the first mounted pseudo fs. */
struct super_block sockfs_sb = { .s_dev = 8, .s_blocksize = PAGE_SIZE, .s_magic = 0x534F434B };

static const struct file_operations socket_file_ops;

struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

struct socket *sock_alloc(void)
{
	struct socket *sock = kzalloc(sizeof(*sock), GFP_KERNEL);

	if (!sock)
		return NULL;
	sock->inode = new_inode(&sockfs_sb, S_IFSOCK | 0777);
	if (!sock->inode) {
		kfree(sock);
		return NULL;
	}
	sock->inode->i_fop = &no_dev_fops; /* opening it (/proc/PID/fd/N) is ENXIO */
	return sock;
}

void sock_release(struct socket *sock)
{
	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	iput(sock->inode);
	kfree(sock);
}

/* Linux's __sock_create: the family, type and protocol checks in Linux's order, then the
 * family's create. */
int sock_create(int family, int type, int protocol, struct socket **res)
{
	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	if (family != AF_UNIX)
		return -EAFNOSUPPORT; /* no network stack: no other family is registered */
	struct socket *sock = sock_alloc();
	if (!sock)
		return -ENFILE;
	sock->type = (short)type;
	int err = unix_create(sock, protocol);
	if (err) {
		sock_release(sock);
		return err;
	}
	*res = sock;
	return 0;
}

/* The open file of a socket (Linux's sock_alloc_file): O_RDWR, a stream; NULL without memory,
 * in which case the socket is released. */
struct file *sock_alloc_file(struct socket *sock, int flags)
{
	struct file *f = alloc_file(sock->inode, O_RDWR | (flags & O_NONBLOCK), &socket_file_ops);

	if (!f) {
		sock_release(sock);
		return NULL;
	}
	stream_open(f);
	f->private_data = sock;
	sock->file = f;
	return f;
}

/* A new descriptor for a socket (Linux's sock_map_fd); the socket is released on failure. */
static int sock_map_fd(struct socket *sock, int flags)
{
	int fd = get_unused_fd_flags((unsigned int)flags);

	if (fd < 0) {
		sock_release(sock);
		return fd;
	}
	struct file *f = sock_alloc_file(sock, flags);
	if (!f) {
		put_unused_fd((unsigned int)fd);
		return -ENFILE;
	}
	fd_install((unsigned int)fd, f);
	return fd;
}

/* The socket of descriptor fd with a reference on its file (*filep; fput it): EBADF, ENOTSOCK. */
static struct socket *sockfd_lookup(int fd, struct file **filep, int *err)
{
	struct file *f = fget(fd);

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	struct socket *sock = sock_from_file(f);
	if (!sock) {
		fput(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*filep = f;
	return sock;
}

/* Copies a user address in (Linux's move_addr_to_kernel): EINVAL past sockaddr_storage, EFAULT. */
static int move_addr_to_kernel(void __user *uaddr, int ulen, struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(*kaddr))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (copy_from_user(kaddr, uaddr, (size_t)ulen))
		return -EFAULT;
	return 0;
}

/*
 * Copies an address out (Linux's move_addr_to_user): at most the user's *ulen bytes, then the
 * real length into *ulen, so a short buffer learns how much it needed.
 */
static int move_addr_to_user(struct sockaddr_storage *kaddr, int klen, void __user *uaddr,
			     int __user *ulen)
{
	u32 len;

	if (get_user_u32(&len, (u32 __user *)ulen))
		return -EFAULT;
	if ((int)len < 0)
		return -EINVAL;
	if ((int)len > klen)
		len = (u32)klen;
	if (len && copy_to_user(uaddr, kaddr, len))
		return -EFAULT;
	return put_user_u32((u32)klen, (u32 __user *)ulen) ? -EFAULT : 0;
}

long sys_socket(int family, int type, int protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	int err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	return sock_map_fd(sock, flags);
}

/*
 * Linux's __sys_socketpair: both descriptors are reserved and written to user space before the
 * sockets exist (EMFILE, then EFAULT, then the family's errors), so a failure after the copy
 * leaves the numbers in the array, as Linux does.
 */
long sys_socketpair(int family, int type, int protocol, int __user *usockvec)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock1, *sock2;
	int fd1, fd2, err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;
	fd1 = get_unused_fd_flags((unsigned int)flags);
	if (fd1 < 0)
		return fd1;
	fd2 = get_unused_fd_flags((unsigned int)flags);
	if (fd2 < 0) {
		put_unused_fd((unsigned int)fd1);
		return fd2;
	}
	err = -EFAULT;
	if (put_user_u32((u32)fd1, (u32 __user *)&usockvec[0]) ||
	    put_user_u32((u32)fd2, (u32 __user *)&usockvec[1]))
		goto out_fds;
	err = sock_create(family, type, protocol, &sock1);
	if (err)
		goto out_fds;
	err = sock_create(family, type, protocol, &sock2);
	if (err) {
		sock_release(sock1);
		goto out_fds;
	}
	err = sock1->ops->socketpair ? sock1->ops->socketpair(sock1, sock2) : -EOPNOTSUPP;
	if (err) {
		sock_release(sock1);
		sock_release(sock2);
		goto out_fds;
	}
	struct file *f1 = sock_alloc_file(sock1, flags);
	struct file *f2 = f1 ? sock_alloc_file(sock2, flags) : NULL;
	if (!f2) {
		if (f1)
			fput(f1);
		else
			sock_release(sock2);
		err = -ENFILE;
		goto out_fds;
	}
	fd_install((unsigned int)fd1, f1);
	fd_install((unsigned int)fd2, f2);
	return 0;
out_fds:
	put_unused_fd((unsigned int)fd1);
	put_unused_fd((unsigned int)fd2);
	return err;
}

long sys_bind(int fd, void __user *umyaddr, int addrlen)
{
	struct sockaddr_storage addr;
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = move_addr_to_kernel(umyaddr, addrlen, &addr);
	if (!err)
		err = sock->ops->bind ? sock->ops->bind(sock, &addr, addrlen) : -EOPNOTSUPP;
	fput(f);
	return err;
}

/* Linux's __sys_connect: EBADF, then the address, then ENOTSOCK. */
long sys_connect(int fd, void __user *uservaddr, int addrlen)
{
	struct sockaddr_storage addr;
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = move_addr_to_kernel(uservaddr, addrlen, &addr);
	if (!err) {
		struct socket *sock = sock_from_file(f);

		if (!sock)
			err = -ENOTSOCK;
		else if (!sock->ops->connect)
			err = -EOPNOTSUPP;
		else
			err = sock->ops->connect(sock, &addr, addrlen, (int)f->f_flags);
	}
	fput(f);
	return err;
}

/*
 * Calls a socket operation that takes one int (listen, shutdown) on descriptor fd: EBADF,
 * ENOTSOCK, then EOPNOTSUPP when the family has no such operation (listen: true for listen).
 */
static long sock_int_op(int fd, bool listen, int arg)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	int (*op)(struct socket *, int) = listen ? sock->ops->listen : sock->ops->shutdown;
	err = op ? op(sock, arg) : -EOPNOTSUPP;
	fput(f);
	return err;
}

long sys_listen(int fd, int backlog)
{
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	return sock_int_op(fd, true, backlog);
}

/*
 * Linux's do_accept: a descriptor first (EMFILE), then ENOTSOCK, the family's accept (which
 * sleeps for a connection unless O_NONBLOCK), and the peer's address. A failure after accept
 * drops the connection, as Linux's.
 */
static long do_accept(struct file *f, void __user *upeer, int __user *upeer_len, int flags)
{
	struct sockaddr_storage addr;
	int fd = get_unused_fd_flags((unsigned int)flags);
	long err;

	if (fd < 0)
		return fd;
	struct socket *sock = sock_from_file(f);
	if (!sock) {
		err = -ENOTSOCK;
		goto out_fd;
	}
	struct socket *newsock = sock_alloc();
	if (!newsock) {
		err = -ENFILE;
		goto out_fd;
	}
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	struct file *newfile = sock_alloc_file(newsock, flags);
	if (!newfile) {
		err = -ENFILE;
		goto out_fd;
	}
	err = sock->ops->accept ? sock->ops->accept(sock, newsock, (int)f->f_flags) : -EOPNOTSUPP;
	if (!err && upeer) {
		int len = newsock->ops->getname(newsock, &addr, 2);

		err = len < 0 ? -ECONNABORTED : move_addr_to_user(&addr, len, upeer, upeer_len);
	}
	if (err) {
		fput(newfile);
		goto out_fd;
	}
	fd_install((unsigned int)fd, newfile);
	return fd;
out_fd:
	put_unused_fd((unsigned int)fd);
	return err;
}

long sys_accept4(int fd, void __user *upeer_sockaddr, int __user *upeer_addrlen, int flags)
{
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = do_accept(f, upeer_sockaddr, upeer_addrlen, flags);
	fput(f);
	return err;
}

long sys_accept(int fd, void __user *upeer_sockaddr, int __user *upeer_addrlen)
{
	return sys_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

/* getsockname (peer 0) and getpeername (peer 1). */
static long do_getname(int fd, void __user *uaddr, int __user *ulen, int peer)
{
	struct sockaddr_storage addr;
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	memset(&addr, 0, sizeof(addr));
	int len = sock->ops->getname(sock, &addr, peer);
	err = len < 0 ? len : move_addr_to_user(&addr, len, uaddr, ulen);
	fput(f);
	return err;
}

long sys_getsockname(int fd, void __user *usockaddr, int __user *usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 0);
}

long sys_getpeername(int fd, void __user *usockaddr, int __user *usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 1);
}

/* The family's sendmsg with the file's O_NONBLOCK as MSG_DONTWAIT. */
static long sock_sendmsg(struct socket *sock, struct msghdr *m)
{
	if (sock->file->f_flags & O_NONBLOCK)
		m->msg_flags |= MSG_DONTWAIT;
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, m, iov_iter_count(m->msg_iter));
}

/* The family's recvmsg with the file's O_NONBLOCK as MSG_DONTWAIT. */
static long sock_recvmsg(struct socket *sock, struct msghdr *m, unsigned int flags)
{
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	if (!sock->ops->recvmsg)
		return -EOPNOTSUPP;
	return sock->ops->recvmsg(sock, m, iov_iter_count(m->msg_iter), (int)flags);
}

/*
 * The one user buffer of sendto or recvfrom as a message's data (Linux's import_single_range,
 * EFAULT first), then the socket of fd with a reference on its file (sockfd_lookup): the
 * socket, or NULL with *err set.
 */
static struct socket *sock_single_buffer(int fd, void __user *buf, size_t len, struct iovec *iov,
					 struct iov_iter *iter, struct msghdr *m,
					 struct file **filep, int *err)
{
	iov->iov_base = buf;
	iov->iov_len = min(len, (size_t)MAX_RW_COUNT);
	if (!access_ok(buf, iov->iov_len)) {
		*err = -EFAULT;
		return NULL;
	}
	iov_iter_init(iter, false, iov, 1, iov->iov_len);
	memset(m, 0, sizeof(*m));
	m->msg_iter = iter;
	return sockfd_lookup(fd, filep, err);
}

/* Linux's __sys_sendto: the buffer, the socket, then the address (only with a pointer). */
long sys_sendto(int fd, void __user *buff, size_t len, unsigned int flags, void __user *addr,
		int addr_len)
{
	struct sockaddr_storage address;
	struct iovec iov;
	struct msghdr m;
	struct iov_iter iter;
	struct file *f;
	int err;
	struct socket *sock = sock_single_buffer(fd, buff, len, &iov, &iter, &m, &f, &err);

	if (!sock)
		return err;
	if (addr) {
		err = move_addr_to_kernel(addr, addr_len, &address);
		if (err)
			goto out;
		m.msg_name = &address;
		m.msg_namelen = addr_len;
	}
	m.msg_flags = flags;
	err = (int)sock_sendmsg(sock, &m);
out:
	fput(f);
	return err;
}

/* Linux's __sys_recvfrom: the data stays consumed when the address cannot be copied out. */
long sys_recvfrom(int fd, void __user *ubuf, size_t size, unsigned int flags, void __user *addr,
		  int __user *addr_len)
{
	struct sockaddr_storage address;
	struct iovec iov;
	struct msghdr m;
	struct iov_iter iter;
	struct file *f;
	int err;
	struct socket *sock = sock_single_buffer(fd, ubuf, size, &iov, &iter, &m, &f, &err);

	if (!sock)
		return err;
	m.msg_name = addr ? &address : NULL;
	long ret = sock_recvmsg(sock, &m, flags);
	if (ret >= 0 && addr) {
		err = move_addr_to_user(&address, m.msg_namelen, addr, addr_len);
		if (err)
			ret = err;
	}
	fput(f);
	return ret;
}

/*
 * Copies a user msghdr in (Linux's __copy_msghdr and import_iovec): msg_namelen negative
 * EINVAL, clamped to sockaddr_storage; the address copied in for sendmsg (uaddr NULL); more than
 * UIO_MAXIOV buffers EMSGSIZE. *iovp is kmalloc'd when the vector does not fit fast.
 */
static int copy_msghdr_from_user(struct msghdr *m, struct user_msghdr __user *umsg,
				 struct user_msghdr *um, struct sockaddr_storage *addr,
				 void __user **uaddr, struct iovec *fast, struct iovec **iovp,
				 struct iov_iter *iter)
{
	if (copy_from_user(um, umsg, sizeof(*um)))
		return -EFAULT;
	m->msg_controllen = um->msg_controllen;
	m->msg_flags = um->msg_flags;
	m->msg_namelen = um->msg_name ? um->msg_namelen : 0;
	if (m->msg_namelen < 0)
		return -EINVAL;
	if (m->msg_namelen > (int)sizeof(*addr))
		m->msg_namelen = sizeof(*addr);
	if (uaddr)
		*uaddr = um->msg_name;
	if (um->msg_name && m->msg_namelen) {
		if (!uaddr) {
			int err = move_addr_to_kernel(um->msg_name, m->msg_namelen, addr);
			if (err)
				return err;
		}
		m->msg_name = addr;
	} else {
		m->msg_name = NULL;
		m->msg_namelen = 0;
	}
	if (um->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	ssize_t n = import_iovec(um->msg_iov, um->msg_iovlen, fast, UIO_FASTIOV, iovp, iter);
	m->msg_iter = iter;
	return n < 0 ? (int)n : 0;
}

/* Linux's ___sys_sendmsg: the header, the control data (ENOBUFS past optmem_max), the send. */
long sys_sendmsg(int fd, struct user_msghdr __user *umsg, unsigned int flags)
{
	struct iovec fast[UIO_FASTIOV], *iov = NULL;
	struct sockaddr_storage addr;
	struct user_msghdr um;
	struct msghdr m = { 0 };
	struct iov_iter iter;
	struct file *f;
	void *ctl = NULL;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	long ret = copy_msghdr_from_user(&m, umsg, &um, &addr, NULL, fast, &iov, &iter);
	if (ret)
		goto out;
	ret = -ENOBUFS;
	if (m.msg_controllen > 0x7fffffff)
		goto out;
	if (m.msg_controllen) {
		if (m.msg_controllen >= SYSCTL_OPTMEM_MAX)
			goto out;
		ctl = kmalloc(m.msg_controllen, GFP_KERNEL);
		if (!ctl)
			goto out;
		ret = -EFAULT;
		if (copy_from_user(ctl, um.msg_control, m.msg_controllen))
			goto out;
	}
	m.msg_control = ctl;
	m.msg_flags = flags & ~MSG_CMSG_COMPAT;
	ret = sock_sendmsg(sock, &m);
out:
	kfree(ctl);
	kfree(iov);
	fput(f);
	return ret;
}

/* Linux's ___sys_recvmsg: the receive, then the address, msg_flags and msg_controllen out. */
long sys_recvmsg(int fd, struct user_msghdr __user *umsg, unsigned int flags)
{
	struct iovec fast[UIO_FASTIOV], *iov = NULL;
	struct sockaddr_storage addr;
	struct user_msghdr um;
	struct msghdr m = { 0 };
	struct iov_iter iter;
	void __user *uaddr;
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	long ret = copy_msghdr_from_user(&m, umsg, &um, &addr, &uaddr, fast, &iov, &iter);
	if (ret)
		goto out;
	m.msg_name = &addr;
	m.msg_namelen = 0;
	m.msg_control_user = um.msg_control;
	m.msg_flags = flags & MSG_CMSG_CLOEXEC;
	ret = sock_recvmsg(sock, &m, flags);
	if (ret < 0)
		goto out;
	if (uaddr) {
		err = move_addr_to_user(&addr, m.msg_namelen, uaddr, &umsg->msg_namelen);
		if (err) {
			ret = err;
			goto out;
		}
	}
	u64 used = (u64)(uintptr_t)m.msg_control_user - (u64)(uintptr_t)um.msg_control;
	if (put_user_u32(m.msg_flags & ~MSG_CMSG_COMPAT, &umsg->msg_flags) ||
	    put_user_u64(used, &umsg->msg_controllen))
		ret = -EFAULT;
out:
	kfree(iov);
	fput(f);
	return ret;
}

long sys_shutdown(int fd, int how)
{
	return sock_int_op(fd, false, how);
}

/* Linux's __sys_setsockopt: a negative length first, then the socket; AF_UNIX has no options
 * at other levels (EOPNOTSUPP). */
long sys_setsockopt(int fd, int level, int optname, char __user *optval, int optlen)
{
	struct file *f;
	int err;

	if (optlen < 0)
		return -EINVAL;
	struct socket *sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	err = level == SOL_SOCKET ? (int)sock_setsockopt(sock, optname, optval, optlen)
				  : -EOPNOTSUPP;
	fput(f);
	return err;
}

long sys_getsockopt(int fd, int level, int optname, char __user *optval, int __user *optlen)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = level == SOL_SOCKET ? (int)sock_getsockopt(sock, optname, optval, optlen)
				  : -EOPNOTSUPP;
	fput(f);
	return err;
}

/* read(2) of a socket (Linux's sock_read_iter): recvmsg without flags; 0 bytes asked, 0. */
static ssize_t sock_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct msghdr m = { .msg_iter = to };

	(void)ppos;
	if (!iov_iter_count(to))
		return 0;
	return sock_recvmsg(file->private_data, &m, 0);
}

/* write(2) of a socket (Linux's sock_write_iter): MSG_EOR on a SOCK_SEQPACKET; writing 0 bytes
 * sends an empty datagram (writev of nothing returns 0 before it gets here). */
static ssize_t sock_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct socket *sock = file->private_data;
	struct msghdr m = { .msg_iter = from };

	(void)ppos;
	if (sock->type == SOCK_SEQPACKET)
		m.msg_flags |= MSG_EOR;
	return sock_sendmsg(sock, &m);
}

static __poll_t sock_poll(struct file *file, poll_table *pt)
{
	struct socket *sock = file->private_data;

	return sock->ops->poll(file, sock, pt);
}

static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;

	return sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;
}

/* The last close of a socket file: the family lets go of its state, and the socket is freed. */
static void sock_close(struct inode *inode, struct file *file)
{
	struct socket *sock = file->private_data;

	(void)inode;
	sock->file = NULL;
	sock_release(sock);
}

static const struct file_operations socket_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_close,
};
