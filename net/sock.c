// SPDX-License-Identifier: MIT
/*
 * The protocol-independent part of a socket (Linux's net/core/sock.c): a new sock's defaults,
 * SO_PEERCRED's credentials, and the SOL_SOCKET options with Linux 6.1's checks and values.
 */
#include "net/socket.h"
#include "arch/x86_64/time.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/ktime.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

#define CAP_NET_ADMIN 12
#define INT_MAX 0x7fffffff
#define EDOM 33
#define USEC_PER_SEC 1000000L

/* struct __kernel_old_timeval and struct __kernel_sock_timeval: both 16 bytes on x86-64. */
struct sock_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

void sock_init_data(struct sock *sk, int type)
{
	sk->sk_type = type;
	sk->sk_state = TCP_CLOSE;
	sk->sk_sndbuf = SYSCTL_WMEM_DEFAULT;
	sk->sk_rcvbuf = SYSCTL_RMEM_DEFAULT;
	sk->sk_rcvlowat = 1;
	sk->sk_peek_off = -1;
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	init_waitqueue_head(&sk->sk_wq);
}

u64 sock_timeo_deadline(long timeo)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT || timeo <= 0 ||
	    (u64)timeo > KTIME_MAX / (NSEC_PER_SEC / HZ))
		return 0; /* no limit, or one past the clock's range */
	return ktime_add_safe(ktime_get_ns(), (u64)timeo * (NSEC_PER_SEC / HZ));
}

long sock_timeo_left(u64 deadline)
{
	u64 now = ktime_get_ns(), tick = NSEC_PER_SEC / HZ;

	if (now >= deadline)
		return 0;
	return (long)((deadline - now + tick - 1) / tick);
}

void sock_schedule_timeout(u64 deadline)
{
	struct task_struct *t = current;

	t->wake_at_ns = deadline;
	schedule();
	t->wake_at_ns = 0;
}

/*
 * SO_RCVTIMEO and SO_SNDTIMEO (Linux's sock_set_timeout): a timeval of at least 16 bytes
 * (EINVAL), tv_usec in [0, 1e6) (EDOM); a negative tv_sec is no wait at all, zero no limit;
 * else whole jiffies, rounded up.
 */
static long sock_set_timeout(long *timeo, char __user *optval, int optlen)
{
	struct sock_timeval tv;

	if (optlen < (int)sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, optval, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*timeo = 0;
		return 0;
	}
	*timeo = MAX_SCHEDULE_TIMEOUT;
	if ((tv.tv_sec || tv.tv_usec) && tv.tv_sec < MAX_SCHEDULE_TIMEOUT / HZ - 1)
		*timeo =
			tv.tv_sec * HZ + (tv.tv_usec + USEC_PER_SEC / HZ - 1) / (USEC_PER_SEC / HZ);
	return 0;
}

/* A timeout as getsockopt gives it back (Linux's sock_get_timeout): zero for none. */
static void sock_get_timeout(long timeo, struct sock_timeval *tv)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		tv->tv_sec = 0;
		tv->tv_usec = 0;
	} else {
		tv->tv_sec = timeo / HZ;
		tv->tv_usec = (timeo % HZ) * USEC_PER_SEC / HZ;
	}
}

void current_ucred(struct ucred *uc)
{
	uc->pid = current->tgid;
	uc->uid = current->cred.euid;
	uc->gid = current->cred.egid;
}

/* Sets or clears a boolean option's flag. */
static void sock_valbool_flag(struct sock *sk, u32 flag, int valbool)
{
	if (valbool)
		sk->sk_flags |= flag;
	else
		sk->sk_flags &= ~flag;
}

/* SO_SNDBUF and SO_RCVBUF: the value doubled (Linux's bookkeeping overhead), capped and floored
 * as Linux's sk_setsockopt; a negative value counts as huge (compared unsigned). */
static int sock_set_buf(int *field, int val, u32 max, int floor, bool force)
{
	if (!force && (u32)val > max)
		val = (int)max;
	if (force && val < 0)
		val = 0;
	if (val > INT_MAX / 2)
		val = INT_MAX / 2;
	*field = val * 2 > floor ? val * 2 : floor;
	return 0;
}

/* SO_LINGER: struct linger { int l_onoff; int l_linger; }. */
static long sock_set_linger(struct sock *sk, char __user *optval, int optlen)
{
	s32 ling[2];

	if (optlen < (int)sizeof(ling))
		return -EINVAL;
	if (copy_from_user(ling, optval, sizeof(ling)))
		return -EFAULT;
	sock_valbool_flag(sk, SK_LINGER, ling[0]);
	sk->sk_lingertime = ling[0] ? ling[1] : 0;
	return 0;
}

long sock_setsockopt(struct socket *sock, int optname, char __user *optval, int optlen)
{
	struct sock *sk = sock->sk;
	s32 val;

	if (optlen < (int)sizeof(int))
		return -EINVAL;
	if (copy_from_user(&val, optval, sizeof(val)))
		return -EFAULT;
	int valbool = val ? 1 : 0;

	switch (optname) {
	case SO_DEBUG:
		if (val && !capable(CAP_NET_ADMIN))
			return -EACCES;
		sock_valbool_flag(sk, SK_DEBUG, valbool);
		return 0;
	case SO_REUSEADDR:
		sock_valbool_flag(sk, SK_REUSEADDR, valbool);
		return 0;
	case SO_REUSEPORT:
		sock_valbool_flag(sk, SK_REUSEPORT, valbool);
		return 0;
	case SO_TYPE:
	case SO_PROTOCOL:
	case SO_DOMAIN:
	case SO_ERROR:
		return -ENOPROTOOPT;
	case SO_DONTROUTE:
		sock_valbool_flag(sk, SK_DONTROUTE, valbool);
		return 0;
	case SO_BROADCAST:
		sock_valbool_flag(sk, SK_BROADCAST, valbool);
		return 0;
	case SO_SNDBUF:
		sock_set_buf(&sk->sk_sndbuf, val, SYSCTL_WMEM_MAX, SOCK_MIN_SNDBUF, false);
		wake_up(&sk->sk_wq);
		return 0;
	case SO_SNDBUFFORCE:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		sock_set_buf(&sk->sk_sndbuf, val, 0, SOCK_MIN_SNDBUF, true);
		wake_up(&sk->sk_wq);
		return 0;
	case SO_RCVBUF:
		return sock_set_buf(&sk->sk_rcvbuf, val, SYSCTL_RMEM_MAX, SOCK_MIN_RCVBUF, false);
	case SO_RCVBUFFORCE:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		return sock_set_buf(&sk->sk_rcvbuf, val, 0, SOCK_MIN_RCVBUF, true);
	case SO_KEEPALIVE:
		sock_valbool_flag(sk, SK_KEEPALIVE, valbool);
		return 0;
	case SO_OOBINLINE:
		sock_valbool_flag(sk, SK_OOBINLINE, valbool);
		return 0;
	case SO_PRIORITY:
		if ((val < 0 || val > 6) && !capable(CAP_NET_ADMIN))
			return -EPERM;
		sk->sk_priority = val;
		return 0;
	case SO_LINGER:
		return sock_set_linger(sk, optval, optlen);
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		return sock_set_timeout(&sk->sk_rcvtimeo, optval, optlen);
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		return sock_set_timeout(&sk->sk_sndtimeo, optval, optlen);
	case SO_PASSCRED:
		if (valbool)
			sock->flags |= SOCK_PASSCRED_BIT;
		else
			sock->flags &= ~SOCK_PASSCRED_BIT;
		return 0;
	case SO_RCVLOWAT:
		sk->sk_rcvlowat = val < 0 ? INT_MAX : (val ? val : 1);
		return 0;
	case SO_PEEK_OFF:
		if (!sock->ops->set_peek_off)
			return -EOPNOTSUPP;
		return sock->ops->set_peek_off(sk, val);
	default:
		return -ENOPROTOOPT;
	}
}

/* Takes the pending error, as reading SO_ERROR does (Linux's sock_error). */
static int sock_error(struct sock *sk)
{
	int err = sk->sk_err;

	sk->sk_err = 0;
	return err;
}

long sock_getsockopt(struct socket *sock, int optname, char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	union {
		s32 val;
		s32 ling[2];
		struct ucred cred;
		struct sock_timeval tv;
	} v;
	u32 ulen;
	int lv = sizeof(int);

	if (get_user_u32(&ulen, (u32 __user *)optlen))
		return -EFAULT;
	int len = (int)ulen;
	if (len < 0)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	switch (optname) {
	case SO_DEBUG:
		v.val = !!(sk->sk_flags & SK_DEBUG);
		break;
	case SO_DONTROUTE:
		v.val = !!(sk->sk_flags & SK_DONTROUTE);
		break;
	case SO_BROADCAST:
		v.val = !!(sk->sk_flags & SK_BROADCAST);
		break;
	case SO_SNDBUF:
		v.val = sk->sk_sndbuf;
		break;
	case SO_RCVBUF:
		v.val = sk->sk_rcvbuf;
		break;
	case SO_REUSEADDR:
		v.val = !!(sk->sk_flags & SK_REUSEADDR);
		break;
	case SO_REUSEPORT:
		v.val = !!(sk->sk_flags & SK_REUSEPORT);
		break;
	case SO_KEEPALIVE:
		v.val = !!(sk->sk_flags & SK_KEEPALIVE);
		break;
	case SO_TYPE:
		v.val = sk->sk_type;
		break;
	case SO_PROTOCOL:
		v.val = 0;
		break;
	case SO_DOMAIN:
		v.val = AF_UNIX;
		break;
	case SO_ERROR:
		v.val = sock_error(sk);
		break;
	case SO_OOBINLINE:
		v.val = !!(sk->sk_flags & SK_OOBINLINE);
		break;
	case SO_PRIORITY:
		v.val = sk->sk_priority;
		break;
	case SO_LINGER:
		lv = sizeof(v.ling);
		v.ling[0] = !!(sk->sk_flags & SK_LINGER);
		v.ling[1] = sk->sk_lingertime;
		break;
	case SO_RCVLOWAT:
		v.val = sk->sk_rcvlowat;
		break;
	case SO_PEEK_OFF:
		if (!sock->ops->set_peek_off)
			return -EOPNOTSUPP;
		v.val = sk->sk_peek_off;
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		lv = sizeof(v.tv);
		sock_get_timeout(sk->sk_rcvtimeo, &v.tv);
		break;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		lv = sizeof(v.tv);
		sock_get_timeout(sk->sk_sndtimeo, &v.tv);
		break;
	case SO_SNDLOWAT:
		v.val = 1;
		break;
	case SO_PASSCRED:
		v.val = !!(sock->flags & SOCK_PASSCRED_BIT);
		break;
	case SO_PEERCRED:
		lv = sizeof(v.cred);
		if (sk->sk_peercred_set) {
			v.cred = sk->sk_peercred;
		} else {
			v.cred.uid = (u32)-1; /* cred_to_ucred without credentials */
			v.cred.gid = (u32)-1;
		}
		break;
	case SO_ACCEPTCONN:
		v.val = sk->sk_state == TCP_LISTEN;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len > lv)
		len = lv;
	if (copy_to_user(optval, &v, (size_t)len))
		return -EFAULT;
	return put_user_u32((u32)len, (u32 __user *)optlen) ? -EFAULT : 0;
}
