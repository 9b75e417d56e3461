; SPDX-License-Identifier: MIT
; Interrupt and exception entry. Each of the 256 vectors has a 16-byte stub that pushes an error
; code (0 where the CPU pushes none) and the vector number, then joins trap_common, which builds
; a struct pt_regs (arch/x86_64/traps.h) and calls do_trap(regs). swapgs runs when the interrupted
; code was in user mode, so GS always points at per-CPU data in the kernel.
;
; #DB, NMI and #MC arrive on IST stacks and can hit any kernel instruction, the first one of the
; SYSCALL entry (before its swapgs, with the user's RSP: CVE-2018-8897's MOV SS + watchpoint) and
; the last one of the return to user mode (after swapgs) included, where the saved CS says kernel
; but GS is the user's. From user mode they move to the task's kernel stack and join trap_common
; (ist_entry: they may sleep, send signals, schedule, which an IST stack shared by every task of
; the CPU cannot); from kernel mode they, and the double fault, take paranoid_entry, which decides
; SWAPGS from MSR_GS_BASE (a kernel address is negative) and restores on the way out the GS it
; found. A #DB on its IST stack cannot nest: the kernel never single-steps itself, sets no
; breakpoint on a kernel address, and do_paranoid_trap clears DR7 before touching user memory.

%include "build/layout.inc"
%include "arch/x86_64/pt_regs.inc"

extern do_trap, do_paranoid_trap, smap_enabled, return_to_user_iret, poison_kernel_stack
global trap_stubs, trap_common, trap_return_iret, fault_catch_enter, probe_read_u64

; Vectors for which the CPU pushes an error code.
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
; Vectors on an IST stack that may come from user mode (#DB, NMI, #MC), and the double fault.
%define IS_IST(v) ((v) == 1 || (v) == 2 || (v) == 18)

PERCPU_KERNEL_RSP equ 16
MSR_GS_BASE equ 0xc0000101

section .text
bits 64

align 16
trap_stub_base:
%assign v 0
%rep 256
	align 16
%if HAS_ERR(v)
	push v
%else
	push 0
	push v
%endif
%if IS_IST(v)
	jmp ist_entry
%elif (v) == 8
	jmp paranoid_entry
%else
	jmp trap_common
%endif
%assign v v + 1
%endrep

; Frame on entry: vector, error code, RIP, CS, RFLAGS, RSP, SS.
trap_common:
	; The CPU does not clear EFLAGS.AC on entry: do it first, as Linux's idtentry (ASM_CLAC), before
	; swapgs (a hypervisor that emulates swapgs and the instructions after it, as KVM's PVM does,
	; may not emulate clac: there it runs alone)
	cmp byte [rel smap_enabled], 0
	je .no_smap
	clac
.no_smap:
	test byte [rsp + 24], 3
	jnz .swap_gs
	; From the kernel: normally GS is already the kernel's. The exception is a fault on one of
	; the IRETQs to user mode (a bad user RIP, RSP or segment), which runs after swapgs.
	push rax
	mov rax, [rsp + 24]		; the faulting RIP (above the saved RAX)
	cmp rax, return_to_user_iret
	je .bad_iret
	cmp rax, trap_return_iret
	jne .kernel_gs
.bad_iret:
	pop rax
.swap_gs:
	swapgs
	jmp .saved_gs
.kernel_gs:
	pop rax
.saved_gs:
	PUSH_PT_REGS
	cld
	test byte [rsp + 18 * 8], 3	; CS: from user mode, the `poison` option's stack fill
	jz .from_kernel
	call poison_kernel_stack
.from_kernel:
	mov rdi, rsp			; struct pt_regs *
	call do_trap
	POP_PT_REGS
	add rsp, 16			; vector and error code
	test byte [rsp + 8], 3
	jz trap_return_kernel
	swapgs
trap_return_iret:			; to user mode only: a fault here has the user's GS
	iretq
trap_return_kernel:
	iretq

; #DB, NMI, #MC on their IST stacks. From user mode, GS is the user's: swapgs, copy the frame
; (vector, error code, RIP, CS, RFLAGS, RSP, SS) to the top of the task's kernel stack, where an
; exception from user mode would have put it, and continue there as trap_common does.
ist_entry:
	test byte [rsp + 24], 3
	jz paranoid_entry
	cmp byte [rel smap_enabled], 0	; clac before swapgs, as trap_common
	je .no_smap
	clac
.no_smap:
	swapgs
	push rsi
	push rdi			; the frame is now 16 bytes higher
	mov rsi, [gs:PERCPU_KERNEL_RSP]
%assign i 0
%rep 7
	mov rdi, [rsp + 16 + (6 - i) * 8]
	mov [rsi - 8 - i * 8], rdi
%assign i i + 1
%endrep
	lea rdi, [rsi - 56]		; the copied frame
	mov rsi, [rsp + 8]
	xchg rdi, rsp			; RSP: the kernel stack; RDI: the IST stack
	mov rdi, [rdi]
	jmp trap_common.saved_gs

; From kernel mode, or the double fault: GS may be either. MSR_GS_BASE says which (the kernel's
; per-CPU base is a kernel address, negative; a user's is below TASK_SIZE_MAX: Warden does not
; enable FSGSBASE, so user mode cannot write a kernel address there); RBX keeps whether to swap
; back. clac first, as trap_common. do_paranoid_trap(regs) must not sleep.
paranoid_entry:
	cmp byte [rel smap_enabled], 0
	je .no_smap
	clac
.no_smap:
	PUSH_PT_REGS
	cld
	mov ecx, MSR_GS_BASE
	rdmsr
	xor ebx, ebx
	test edx, edx
	js .kernel_gs
	swapgs
	mov ebx, 1
.kernel_gs:
	mov rdi, rsp
	call do_paranoid_trap
	test ebx, ebx
	jz .no_swap
	swapgs
.no_swap:
	POP_PT_REGS
	add rsp, 16			; vector and error code
	iretq

; int fault_catch_enter(struct fault_catch *fc): records the callee-saved registers, the stack
; pointer and the return address, and returns 0. If an armed catch later sees a fault, do_trap
; resumes here-after with RAX = 1, like longjmp (see traps.h).
fault_catch_enter:
	mov [rdi + 0], rbx
	mov [rdi + 8], rbp
	mov [rdi + 16], r12
	mov [rdi + 24], r13
	mov [rdi + 32], r14
	mov [rdi + 40], r15
	lea rax, [rsp + 8]
	mov [rdi + 48], rax		; RSP after the return
	mov rax, [rsp]
	mov [rdi + 56], rax		; where to resume
	xor eax, eax
	ret

; int probe_read_u64(const u64 *addr, u64 *out): reads one word that may not be mapped.
; Returns 0, or -EFAULT (-14) if the read faulted (the exception table sends the fault to 2:).
probe_read_u64:
.read:
	mov rax, [rdi]
	mov [rsi], rax
	xor eax, eax
	ret
.fixup:
	mov eax, -14
	ret

section __ex_table progbits alloc noexec nowrite align=8
	dq probe_read_u64.read, probe_read_u64.fixup

section .rodata
align 8
; Address of each vector's stub, for the IDT.
trap_stubs:
%assign v 0
%rep 256
	dq trap_stub_base + v * 16
%assign v v + 1
%endrep
