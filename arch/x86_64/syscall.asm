; SPDX-License-Identifier: MIT
; SYSCALL entry, the return to user mode, the context switch, and the first return of a new task.
;
; SYSCALL arrives with RCX = user RIP, R11 = user RFLAGS, interrupts off (FMASK), RSP still the
; user's. entry_syscall switches to the task's kernel stack (per-CPU kernel_rsp) and builds the
; same struct pt_regs as an exception (vector = -1, error_code = orig_rax = the syscall number),
; so signals, fork and ptrace see one frame layout.

%include "build/layout.inc"
%include "arch/x86_64/pt_regs.inc"

PERCPU_KERNEL_RSP equ 16
PERCPU_USER_RSP   equ 24
PT_CS             equ 18 * 8
PT_RIP            equ 17 * 8

extern do_syscall, schedule_tail, poison_kernel_stack, kernel_enter_from_user, kernel_exit_to_user
global entry_syscall, entry_syscall_compat, return_to_user, return_to_user_iret
global ret_from_fork, ret_from_kernel_thread, switch_to, resume_user_regs

section .text
bits 64

entry_syscall:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	push GDT_USER_DS			; ss
	push qword [gs:PERCPU_USER_RSP]		; rsp
	push r11				; rflags
	push GDT_USER_CS			; cs
	push rcx				; rip
	push rax				; orig_rax
	push -1					; vector: not an exception
	PUSH_PT_REGS
	call poison_kernel_stack		; the `poison` boot option (mm/poison.h)
	xor ebp, ebp				; end of the kernel backtrace
	call kernel_enter_from_user		; the kernel lock (kernel/kernel_lock.h)
	mov rdi, rsp
	call do_syscall
	jmp return_to_user_irqs_off	; do_syscall's exit_to_user_mode left interrupts off

; Restores a struct pt_regs at RSP and returns to user mode with IRETQ (it restores everything,
; RCX and R11 included, which SYSRET would clobber; signals and execve may have changed any of it).
; IRETQ is the only way back, on purpose: rt_sigreturn and ptrace (SETREGS, POKEUSER) may leave
; any RIP here, and an IRETQ that faults on a non-canonical one is the user's SIGSEGV
; (fixup_bad_iret), where SYSRET would fault in ring 0 with the user's RSP. A SYSRET fast path
; would need Linux's checks first (RCX == RIP, R11 == RFLAGS, RIP below TASK_SIZE_MAX, CS/SS the
; user's, no RF or TF).
; Every way here holds the kernel lock (a syscall, a new task, fixup_bad_iret): released last.
return_to_user:
	cli
return_to_user_irqs_off:
	call kernel_exit_to_user
	POP_PT_REGS
	add rsp, 16
	swapgs
return_to_user_iret:			; a fault here has the user's GS: see trap_common
	iretq

; void resume_user_regs(struct pt_regs *regs): leaves for user mode through regs, the pt_regs at
; the top of this task's kernel stack, abandoning every kernel frame below it (see fixup_bad_iret).
resume_user_regs:
	mov rsp, rdi
	jmp return_to_user

; SYSCALL from 32-bit compatibility mode (AMD CPUs; MSR_CSTAR). Warden has no 32-bit ABI: return
; -ENOSYS at once, touching nothing, as Linux's entry_SYSCALL32_ignore does.
entry_syscall_compat:
	mov eax, -38
	o32 sysret

; A new task's first instruction (switch_to "returns" here): finish the switch, then leave for
; user mode through its pt_regs.
ret_from_fork:
	call schedule_tail
	jmp return_to_user

; A task that starts in the kernel (PID 1, before it execs): switch_to left fn in RBX and its
; argument in R12. When fn returns, the task leaves for user mode through its pt_regs, which
; fn (execve) filled in.
ret_from_kernel_thread:
	call schedule_tail
	mov rdi, r12
	call rbx
	jmp return_to_user

; void switch_to(u64 *prev_sp, u64 next_sp): saves RFLAGS and the callee-saved registers on this
; stack, stores RSP in *prev_sp, loads next_sp and pops the next task's registers and flags.
switch_to:
	pushfq				; each task keeps its own flags (IF, and AC must never leak)
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	popfq
	ret
