#!/bin/sh
# mksyms.sh KERNEL.elf > ksyms.S
# Emits the kernel's text symbols, sorted by address, as assembly for kernel/ksyms.c: a count, an
# address array, name offsets and the names. With no argument it emits an empty table (first link).
set -eu
{
	if [ $# -ge 1 ]; then
		nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff8/ { print $1, $3 }' |
			awk '!seen[$1]++'
	fi
} | awk '
{ addr[NR] = $1; name[NR] = $2 }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.globl ksyms_num, ksyms_addr, ksyms_name_off, ksyms_names"
	print "ksyms_num:\n\t.quad " NR
	print "ksyms_addr:"
	for (i = 1; i <= NR; i++) print "\t.quad 0x" addr[i]
	print "ksyms_name_off:"
	off = 0
	for (i = 1; i <= NR; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "ksyms_names:"
	for (i = 1; i <= NR; i++) print "\t.asciz \"" name[i] "\""
	print "\t.section .note.GNU-stack, \"\", @progbits"
}'
