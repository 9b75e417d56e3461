; SPDX-License-Identifier: MIT
; The one atomic read-modify-write of a user futex word the futex code needs (Linux's
; futex_atomic_cmpxchg_inatomic): a locked cmpxchg listed in __ex_table, so that a word that is
; unmapped, read-only, PROT_NONE or refused by PKRU ends in -EFAULT, never a kernel fault. The
; caller (arch/x86_64/futex.h) has checked that the word lies in the user half and opened the
; SMAP window. A fault on a page that only needs filling in (demand paging, copy-on-write) is
; resolved by the page-fault handler and the instruction runs again.

global __futex_cmpxchg_user

section .text
bits 64

; int __futex_cmpxchg_user(u32 *uaddr, u32 oldval, u32 newval, u32 *curval): if *uaddr is
; oldval it becomes newval; *curval gets the value found either way. 0, or -EFAULT (-14).
__futex_cmpxchg_user:
	mov eax, esi
.cmpxchg:
	lock cmpxchg dword [rdi], edx
	mov dword [rcx], eax
	xor eax, eax
	ret
.fault:
	mov eax, -14
	ret

section __ex_table progbits alloc noexec nowrite align=8
	dq __futex_cmpxchg_user.cmpxchg, __futex_cmpxchg_user.fault
