// SPDX-License-Identifier: MIT
/*
 * adjtimex and clock_adjtime: the NTP state of the wall clock (Linux 6.1's kernel/time/ntp.c and
 * do_adjtimex in timekeeping.c). Every mode is checked and kept as Linux keeps it, and read back
 * with Linux's arithmetic (offset, freq, maxerror, esterror, status, constant, tick, tai); once a
 * second (the realtime clock's second boundary) the state advances as Linux's second_overflow
 * advances it: an adjtime offset is used up at 500 us a second, a PLL offset decays, maxerror
 * grows, and leap seconds are inserted or deleted at midnight UTC. What Warden does not do is
 * steer the clock: the frequency, tick, PLL and adjtime corrections are accounted for but the
 * clock keeps running at the rate of its time source. There is no PPS signal (CONFIG_NTP_PPS off).
 */
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/hrtimer.h"
#include "kernel/ktime.h"
#include "kernel/ntp.h"
#include "kernel/spinlock.h"
#include "kernel/sys.h"
#include "arch/x86_64/time.h"
#include "mm/uaccess.h"

/* modes */
#define ADJ_OFFSET 0x0001
#define ADJ_FREQUENCY 0x0002
#define ADJ_MAXERROR 0x0004
#define ADJ_ESTERROR 0x0008
#define ADJ_STATUS 0x0010
#define ADJ_TIMECONST 0x0020
#define ADJ_TAI 0x0080
#define ADJ_SETOFFSET 0x0100
#define ADJ_MICRO 0x1000
#define ADJ_NANO 0x2000
#define ADJ_TICK 0x4000
#define ADJ_ADJTIME 0x8000 /* with ADJ_OFFSET_SINGLESHOT: the old adjtime */
#define ADJ_OFFSET_SINGLESHOT 0x0001
#define ADJ_OFFSET_READONLY 0x2000

/* status */
#define STA_PLL 0x0001
#define STA_PPSFREQ 0x0002
#define STA_PPSTIME 0x0004
#define STA_FLL 0x0008
#define STA_INS 0x0010
#define STA_DEL 0x0020
#define STA_UNSYNC 0x0040
#define STA_FREQHOLD 0x0080
#define STA_PPSSIGNAL 0x0100
#define STA_PPSJITTER 0x0200
#define STA_PPSWANDER 0x0400
#define STA_PPSERROR 0x0800
#define STA_CLOCKERR 0x1000
#define STA_NANO 0x2000
#define STA_MODE 0x4000
#define STA_CLK 0x8000
#define STA_RONLY                                                                                 \
	(STA_PPSSIGNAL | STA_PPSJITTER | STA_PPSWANDER | STA_PPSERROR | STA_CLOCKERR | STA_NANO | \
	 STA_MODE | STA_CLK)

/* adjtimex's return value: the clock's state */
#define TIME_OK 0
#define TIME_INS 1
#define TIME_DEL 2
#define TIME_OOP 3
#define TIME_WAIT 4
#define TIME_ERROR 5

#define USER_HZ 100
#define NTP_HZ 250 /* Linux's NTP_INTERVAL_FREQ: HZ */
#define USEC_PER_SEC 1000000LL
#define SECS_PER_DAY 86400
#define TIME64_MAX ((s64)0x7fffffffffffffffLL)
#define NTP_SCALE_SHIFT 32
#define SHIFT_USEC 16
#define SHIFT_PLL 2
#define SHIFT_FLL 2
#define MAXTC 10
#define MAXPHASE 500000000L
#define MAXFREQ 500000
#define MINSEC 256
#define MAXSEC 2048
#define MAX_TICKADJ 500
#define MAX_TAI_OFFSET 100000
#define PPM_SCALE ((s64)NSEC_PER_USEC << (NTP_SCALE_SHIFT - SHIFT_USEC))
#define PPM_SCALE_INV_SHIFT 19
#define PPM_SCALE_INV ((1LL << (PPM_SCALE_INV_SHIFT + NTP_SCALE_SHIFT)) / PPM_SCALE + 1)
#define MAXFREQ_SCALED ((s64)MAXFREQ << NTP_SCALE_SHIFT)
#define NTP_PHASE_LIMIT ((MAXPHASE / 1000) << 5)

#define CLOCK_REALTIME 0
#define CLOCK_SGI_CYCLE 10
#define CLOCK_TAI 11
#define CAP_SYS_TIME 25
#define CLOCKFD 3
#define CLOCKFD_MASK 7

/* Linux's struct __kernel_timex (208 bytes on x86-64). */
struct kernel_timex {
	u32 modes;
	u32 pad0;
	s64 offset, freq, maxerror, esterror;
	s32 status;
	u32 pad1;
	s64 constant, precision, tolerance;
	s64 time_sec, time_usec;
	s64 tick, ppsfreq, jitter;
	s32 shift;
	u32 pad2;
	s64 stabil, jitcnt, calcnt, errcnt, stbcnt;
	s32 tai;
	u32 pad3[11];
};
_Static_assert(sizeof(struct kernel_timex) == 208, "struct __kernel_timex");

/*
 * ntp_lock protects the NTP state below (Linux: the timekeeping locks); taken with interrupts
 * off, by adjtimex and by the once-a-second timer, and never with another lock held.
 */
static spinlock_t ntp_lock = SPINLOCK_INIT;
static int time_state = TIME_OK;
static int time_status = STA_UNSYNC;
static s64 time_offset; /* the PLL's phase adjustment still to make (scaled ns) */
static long time_constant = 2;
static long time_maxerror = NTP_PHASE_LIMIT; /* us */
static long time_esterror = NTP_PHASE_LIMIT; /* us */
static s64 time_freq; /* scaled ns/s */
static s64 time_reftime; /* s, when the PLL was last updated */
static long time_adjust; /* adjtime's offset still to make (us) */
static long tick_usec = USEC_PER_SEC / USER_HZ;
static s64 ntp_next_leap_sec = TIME64_MAX;
static s64 ntp_last_sec; /* the second the timer last advanced the state for */
static struct hrtimer ntp_timer;
static bool ntp_timer_started;

/* Linux's shift_right: a shift that rounds towards zero for negative values too. */
static s64 shift_right(s64 x, int s)
{
	return x < 0 ? -(-x >> s) : x >> s;
}

/* A left shift of a signed value, done on its two's complement as the kernel's. */
static s64 shift_left(s64 x, int s)
{
	return (s64)((u64)x << s);
}

static s64 clamp_s64(s64 v, s64 lo, s64 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Does the status say the clock is not synchronized (Linux's is_error_status without PPS)? */
static bool is_error_status(int status)
{
	return status & (STA_UNSYNC | STA_CLOCKERR);
}

/* Arms the timer for the wall clock's next second boundary. Under ntp_lock. */
static void ntp_timer_arm(void)
{
	u64 real = ktime_get_real_ns(), mono = ktime_get_ns();
	u64 next = (real / NSEC_PER_SEC + 1) * NSEC_PER_SEC;

	ntp_last_sec = (s64)(real / NSEC_PER_SEC);
	hrtimer_start(&ntp_timer, mono + (next - real));
}

/*
 * The state's advance at the start of second secs (Linux's second_overflow): the leap-second
 * state machine (an insertion at the end of the UTC day returns -1: the clock repeats a second;
 * a deletion +1), maxerror's growth, the PLL offset's decay and adjtime's slew. Under ntp_lock.
 */
static int second_overflow(s64 secs)
{
	int leap = 0;

	switch (time_state) {
	case TIME_OK:
		if (time_status & STA_INS) {
			time_state = TIME_INS;
			ntp_next_leap_sec = secs + SECS_PER_DAY - secs % SECS_PER_DAY;
		} else if (time_status & STA_DEL) {
			time_state = TIME_DEL;
			ntp_next_leap_sec = secs + SECS_PER_DAY - (secs + 1) % SECS_PER_DAY;
		}
		break;
	case TIME_INS:
		if (!(time_status & STA_INS)) {
			ntp_next_leap_sec = TIME64_MAX;
			time_state = TIME_OK;
		} else if (secs == ntp_next_leap_sec) {
			leap = -1;
			time_state = TIME_OOP;
		}
		break;
	case TIME_DEL:
		if (!(time_status & STA_DEL)) {
			ntp_next_leap_sec = TIME64_MAX;
			time_state = TIME_OK;
		} else if (secs == ntp_next_leap_sec) {
			leap = 1;
			ntp_next_leap_sec = TIME64_MAX;
			time_state = TIME_WAIT;
		}
		break;
	case TIME_OOP:
		ntp_next_leap_sec = TIME64_MAX;
		time_state = TIME_WAIT;
		break;
	case TIME_WAIT:
		if (!(time_status & (STA_INS | STA_DEL)))
			time_state = TIME_OK;
		break;
	}
	time_maxerror += MAXFREQ / 1000;
	if (time_maxerror > NTP_PHASE_LIMIT) {
		time_maxerror = NTP_PHASE_LIMIT;
		time_status |= STA_UNSYNC;
	}
	time_offset -= shift_right(time_offset, SHIFT_PLL + (int)time_constant);
	if (time_adjust > MAX_TICKADJ)
		time_adjust -= MAX_TICKADJ;
	else if (time_adjust < -MAX_TICKADJ)
		time_adjust += MAX_TICKADJ;
	else
		time_adjust = 0;
	return leap;
}

/*
 * The timer at each second boundary of the wall clock: advances the NTP state for the second
 * that begins, makes a leap second happen, and arms itself for the next boundary. A leap second
 * is a change of the wall clock: CANCEL_ON_SET timerfds hear of it, as Linux's clock_was_set.
 */
static void ntp_timer_fn(struct hrtimer *timer)
{
	u64 f = spin_lock_irqsave(&ntp_lock);
	s64 secs = (s64)(ktime_get_real_ns() / NSEC_PER_SEC);
	int leap = 0;

	(void)timer;
	if (secs != ntp_last_sec) {
		leap = second_overflow(secs);
		if (leap)
			timekeeping_leap(leap);
	}
	ntp_timer_arm();
	spin_unlock_irqrestore(&ntp_lock, f);
	if (leap)
		clock_was_set();
}

/* Starts the once-a-second timer, at the first adjtimex: until then the state cannot change. */
static void ntp_timer_start(void)
{
	if (ntp_timer_started)
		return;
	hrtimer_init(&ntp_timer, ntp_timer_fn);
	ntp_timer_started = true;
	ntp_timer_arm();
}

void ntp_clear(void)
{
	u64 f = spin_lock_irqsave(&ntp_lock);

	time_adjust = 0;
	time_status |= STA_UNSYNC;
	time_maxerror = NTP_PHASE_LIMIT;
	time_esterror = NTP_PHASE_LIMIT;
	time_offset = 0;
	ntp_next_leap_sec = TIME64_MAX;
	if (ntp_timer_started)
		ntp_timer_arm(); /* the clock moved: count seconds from its new boundaries */
	spin_unlock_irqrestore(&ntp_lock, f);
}

/*
 * The FLL's share of a frequency update (Linux's ntp_update_offset_fll): used once the updates
 * come at least MINSEC apart, and always beyond MAXSEC or with STA_FLL; sets STA_MODE then.
 */
static s64 ntp_update_offset_fll(s64 offset64, long secs)
{
	time_status &= ~STA_MODE;
	if (secs < MINSEC)
		return 0;
	if (!(time_status & STA_FLL) && secs <= MAXSEC)
		return 0;
	time_status |= STA_MODE;
	return shift_left(offset64, NTP_SCALE_SHIFT - SHIFT_FLL) / secs;
}

/*
 * ADJ_OFFSET with STA_PLL (Linux's ntp_update_offset): the offset (us, or ns with STA_NANO)
 * clamped to MAXPHASE becomes the phase to make up, and the PLL/FLL adjusts the frequency.
 */
static void ntp_update_offset(long offset)
{
	if (!(time_status & STA_PLL))
		return;
	if (!(time_status & STA_NANO))
		offset = (long)clamp_s64(offset, -USEC_PER_SEC, USEC_PER_SEC) * 1000;
	offset = (long)clamp_s64(offset, -MAXPHASE, MAXPHASE);
	s64 now = (s64)(ktime_get_real_ns() / NSEC_PER_SEC);
	long secs = (long)(now - time_reftime);
	if (time_status & STA_FREQHOLD)
		secs = 0;
	time_reftime = now;
	s64 offset64 = offset, freq_adj = ntp_update_offset_fll(offset64, secs);
	if (secs > 1L << (SHIFT_PLL + 1 + time_constant))
		secs = 1L << (SHIFT_PLL + 1 + time_constant);
	freq_adj += shift_left(offset64 * secs,
			       NTP_SCALE_SHIFT - 2 * (SHIFT_PLL + 2 + (int)time_constant));
	freq_adj = freq_adj + time_freq < MAXFREQ_SCALED ? freq_adj + time_freq : MAXFREQ_SCALED;
	time_freq = freq_adj > -MAXFREQ_SCALED ? freq_adj : -MAXFREQ_SCALED;
	time_offset = shift_left(offset64, NTP_SCALE_SHIFT) / NTP_HZ;
}

/* ADJ_STATUS (Linux's process_adj_status): leaving PLL mode resets the state machine. */
static void process_adj_status(const struct kernel_timex *txc)
{
	if ((time_status & STA_PLL) && !(txc->status & STA_PLL)) {
		time_state = TIME_OK;
		time_status = STA_UNSYNC;
		ntp_next_leap_sec = TIME64_MAX;
	}
	if (!(time_status & STA_PLL) && (txc->status & STA_PLL))
		time_reftime = (s64)(ktime_get_real_ns() / NSEC_PER_SEC);
	time_status &= STA_RONLY;
	time_status |= txc->status & ~STA_RONLY;
}

/* The modes of an adjtimex that is not adjtime (Linux's process_adjtimex_modes). */
static void process_adjtimex_modes(const struct kernel_timex *txc, s32 *tai)
{
	if (txc->modes & ADJ_STATUS)
		process_adj_status(txc);
	if (txc->modes & ADJ_NANO)
		time_status |= STA_NANO;
	if (txc->modes & ADJ_MICRO)
		time_status &= ~STA_NANO;
	if (txc->modes & ADJ_FREQUENCY)
		time_freq = clamp_s64(txc->freq * PPM_SCALE, -MAXFREQ_SCALED, MAXFREQ_SCALED);
	if (txc->modes & ADJ_MAXERROR)
		time_maxerror = (long)clamp_s64(txc->maxerror, 0, NTP_PHASE_LIMIT);
	if (txc->modes & ADJ_ESTERROR)
		time_esterror = (long)clamp_s64(txc->esterror, 0, NTP_PHASE_LIMIT);
	if (txc->modes & ADJ_TIMECONST) {
		time_constant = (long)clamp_s64(txc->constant, 0, MAXTC);
		if (!(time_status & STA_NANO))
			time_constant += 4;
		time_constant = (long)clamp_s64(time_constant, 0, MAXTC);
	}
	if ((txc->modes & ADJ_TAI) && txc->constant >= 0 && txc->constant <= MAX_TAI_OFFSET)
		*tai = (s32)txc->constant;
	if (txc->modes & ADJ_OFFSET)
		ntp_update_offset((long)txc->offset);
	if (txc->modes & ADJ_TICK)
		tick_usec = (long)txc->tick;
}

/*
 * Applies txc's modes and fills it with the state (Linux's __do_adjtimex); returns the clock
 * state. real is the wall clock now. Under ntp_lock.
 */
static int __do_adjtimex(struct kernel_timex *txc, u64 real, s32 *tai)
{
	int result;

	if (txc->modes & ADJ_ADJTIME) {
		long save_adjust = time_adjust;

		if (!(txc->modes & ADJ_OFFSET_READONLY))
			time_adjust = (long)txc->offset;
		txc->offset = save_adjust;
	} else {
		if (txc->modes)
			process_adjtimex_modes(txc, tai);
		txc->offset = shift_right(time_offset * NTP_HZ, NTP_SCALE_SHIFT);
		if (!(time_status & STA_NANO))
			txc->offset /= 1000;
	}
	result = is_error_status(time_status) ? TIME_ERROR : time_state;
	txc->freq =
		shift_right((time_freq >> PPM_SCALE_INV_SHIFT) * PPM_SCALE_INV, NTP_SCALE_SHIFT);
	txc->maxerror = time_maxerror;
	txc->esterror = time_esterror;
	txc->status = time_status;
	txc->constant = time_constant;
	txc->precision = 1;
	txc->tolerance = MAXFREQ_SCALED / PPM_SCALE;
	txc->tick = tick_usec;
	txc->tai = *tai;
	txc->ppsfreq = txc->jitter = txc->stabil = 0; /* no PPS (pps_fill_timex) */
	txc->jitcnt = txc->calcnt = txc->errcnt = txc->stbcnt = 0;
	txc->shift = 0;
	txc->time_sec = (s64)(real / NSEC_PER_SEC);
	txc->time_usec = (s64)(real % NSEC_PER_SEC);
	if (!(time_status & STA_NANO))
		txc->time_usec /= 1000;
	/* between the leap's boundary and the timer that makes it, report it as made */
	if (txc->time_sec >= ntp_next_leap_sec) {
		if (time_state == TIME_INS && (time_status & STA_INS)) {
			result = TIME_OOP;
			txc->tai++;
			txc->time_sec--;
		}
		if (time_state == TIME_DEL && (time_status & STA_DEL)) {
			result = TIME_WAIT;
			txc->tai--;
			txc->time_sec++;
		}
		if (time_state == TIME_OOP && txc->time_sec == ntp_next_leap_sec)
			result = TIME_WAIT;
	}
	return result;
}

/*
 * Linux's timekeeping_validate_timex: adjtime needs ADJ_OFFSET_SINGLESHOT and, unless read-only,
 * CAP_SYS_TIME; any other mode needs CAP_SYS_TIME, ADJ_TICK within 10% of 10000 us; ADJ_SETOFFSET
 * needs CAP_SYS_TIME and a valid sub-second part; ADJ_FREQUENCY must not overflow when scaled.
 */
static int timekeeping_validate_timex(const struct kernel_timex *txc)
{
	if (txc->modes & ADJ_ADJTIME) {
		if (!(txc->modes & ADJ_OFFSET_SINGLESHOT))
			return -EINVAL;
		if (!(txc->modes & ADJ_OFFSET_READONLY) && !capable(CAP_SYS_TIME))
			return -EPERM;
	} else {
		if (txc->modes && !capable(CAP_SYS_TIME))
			return -EPERM;
		if ((txc->modes & ADJ_TICK) &&
		    (txc->tick < 900000 / USER_HZ || txc->tick > 1100000 / USER_HZ))
			return -EINVAL;
	}
	if (txc->modes & ADJ_SETOFFSET) {
		if (!capable(CAP_SYS_TIME))
			return -EPERM;
		if (txc->time_usec < 0)
			return -EINVAL;
		if (txc->time_usec >= ((txc->modes & ADJ_NANO) ? (s64)NSEC_PER_SEC : USEC_PER_SEC))
			return -EINVAL;
	}
	if ((txc->modes & ADJ_FREQUENCY) && (txc->freq < (-0x7fffffffffffffffLL - 1) / PPM_SCALE ||
					     txc->freq > 0x7fffffffffffffffLL / PPM_SCALE))
		return -EINVAL;
	return 0;
}

/* Linux's do_adjtimex: validates, injects an ADJ_SETOFFSET, then applies and reads the state. */
static int do_adjtimex(struct kernel_timex *txc)
{
	int ret = timekeeping_validate_timex(txc);

	if (ret)
		return ret;
	if (txc->modes & ADJ_SETOFFSET) {
		s64 nsec = txc->time_usec * ((txc->modes & ADJ_NANO) ? 1 : 1000);

		ret = timekeeping_inject_offset(txc->time_sec, nsec);
		if (ret)
			return ret;
	}
	u64 f = spin_lock_irqsave(&ntp_lock);
	s32 orig_tai = timekeeping_tai_offset(), tai = orig_tai;
	ntp_timer_start();
	ret = __do_adjtimex(txc, ktime_get_real_ns(), &tai);
	spin_unlock_irqrestore(&ntp_lock, f);
	if (tai != orig_tai) {
		timekeeping_set_tai_offset(tai);
		clock_was_set();
	}
	return ret;
}

/* adjtimex(2): the whole struct is copied back, whatever do_adjtimex said. */
long sys_adjtimex(void *utx)
{
	struct kernel_timex txc;
	int ret;

	if (copy_from_user(&txc, utx, sizeof(txc)))
		return -EFAULT;
	ret = do_adjtimex(&txc);
	return copy_to_user(utx, &txc, sizeof(txc)) ? -EFAULT : ret;
}

/*
 * clock_adjtime(2): only CLOCK_REALTIME can be adjusted; the other clocks Linux knows have no
 * clock_adj (EOPNOTSUPP; the CPU clocks too, whatever their pid), unknown ids are EINVAL, and so
 * is a dynamic (fd) clock, since Warden has no posix clock devices. Copied back on success only.
 */
long sys_clock_adjtime(int which_clock, void *utx)
{
	struct kernel_timex txc;
	int ret;

	if (copy_from_user(&txc, utx, sizeof(txc)))
		return -EFAULT;
	if (which_clock < 0)
		ret = (which_clock & CLOCKFD_MASK) == CLOCKFD ? -EINVAL : -EOPNOTSUPP;
	else if (which_clock == CLOCK_SGI_CYCLE || which_clock > CLOCK_TAI)
		ret = -EINVAL;
	else if (which_clock != CLOCK_REALTIME)
		ret = -EOPNOTSUPP;
	else
		ret = do_adjtimex(&txc);
	if (ret >= 0 && copy_to_user(utx, &txc, sizeof(txc)))
		return -EFAULT;
	return ret;
}
