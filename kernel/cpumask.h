/* SPDX-License-Identifier: MIT */
/*
 * CPU masks: one bit per CPU, NR_CPUS (8) of them in one word (Linux's cpumask_t, small). Setting
 * and clearing are atomic, so CPUs may change one mask at once (an mm's mask of CPUs that run it,
 * the online mask while CPUs come up); the other operations read a snapshot.
 */
#ifndef WARDEN_CPUMASK_H
#define WARDEN_CPUMASK_H

#include "kernel/types.h"

typedef struct {
	u64 bits;
} cpumask_t;

/* Every CPU that has come up and takes interrupts (bit n: CPU n). */
extern cpumask_t cpu_online_mask;
/* One more than the highest CPU number: how many CPUs this boot has. */
extern unsigned int nr_cpu_ids;

/* Marks cpu in the mask (atomic). */
static inline void cpumask_set_cpu(unsigned int cpu, cpumask_t *mask)
{
	__atomic_fetch_or(&mask->bits, 1ULL << cpu, __ATOMIC_SEQ_CST);
}

/* Clears cpu from the mask (atomic). */
static inline void cpumask_clear_cpu(unsigned int cpu, cpumask_t *mask)
{
	__atomic_fetch_and(&mask->bits, ~(1ULL << cpu), __ATOMIC_SEQ_CST);
}

/* True if cpu is in the mask. */
static inline bool cpumask_test_cpu(unsigned int cpu, const cpumask_t *mask)
{
	return (__atomic_load_n(&mask->bits, __ATOMIC_RELAXED) >> cpu) & 1;
}

/* True if no CPU is in the mask. */
static inline bool cpumask_empty(const cpumask_t *mask)
{
	return __atomic_load_n(&mask->bits, __ATOMIC_RELAXED) == 0;
}

/* How many CPUs are in the mask. */
static inline unsigned int cpumask_weight(const cpumask_t *mask)
{
	return (unsigned int)__builtin_popcountll(__atomic_load_n(&mask->bits, __ATOMIC_RELAXED));
}

/* *dst = *src. */
static inline void cpumask_copy(cpumask_t *dst, const cpumask_t *src)
{
	dst->bits = __atomic_load_n(&src->bits, __ATOMIC_RELAXED);
}

/* The lowest CPU in the mask at or after cpu, or 64 if none (for_each_cpu's step). */
static inline unsigned int cpumask_next_from(unsigned int cpu, const cpumask_t *mask)
{
	u64 rest = cpu >= 64 ? 0 : __atomic_load_n(&mask->bits, __ATOMIC_RELAXED) >> cpu << cpu;

	return rest ? (unsigned int)__builtin_ctzll(rest) : 64;
}

/* The first CPU in the mask, or 64 if it is empty. */
static inline unsigned int cpumask_first(const cpumask_t *mask)
{
	return cpumask_next_from(0, mask);
}

/* Runs the body once for each CPU in mask, lowest first (cpu: an unsigned int variable). */
#define for_each_cpu(cpu, mask)                                \
	for ((cpu) = cpumask_next_from(0, (mask)); (cpu) < 64; \
	     (cpu) = cpumask_next_from((cpu) + 1, (mask)))

/* Each online CPU. */
#define for_each_online_cpu(cpu) for_each_cpu(cpu, &cpu_online_mask)

#endif
