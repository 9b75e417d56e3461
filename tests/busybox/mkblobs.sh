#!/bin/sh
# tests/busybox/mkblobs.sh BUSYBOX SCRIPT... > blobs.S
# Writes an assembler file that embeds the busybox binary (bb_start..bb_end) and each script, with
# a table bb_scripts of {name, start, end} triples ending in three zeros, for launch.c.
set -eu
bb=$1
shift
printf '\t.section .rodata\n\t.balign 16\n\t.globl bb_start, bb_end, bb_scripts\n'
printf 'bb_start:\n\t.incbin "%s"\nbb_end:\n' "$bb"
i=0
for s in "$@"; do
	n=$(basename "$s" .sh)
	printf 'name%d:\n\t.asciz "%s"\nscript%d:\n\t.incbin "%s"\nscript%d_end:\n' "$i" "$n" "$i" "$s" "$i"
	i=$((i + 1))
done
printf '\t.balign 8\nbb_scripts:\n'
j=0
while [ $j -lt $i ]; do
	printf '\t.quad name%d, script%d, script%d_end\n' "$j" "$j" "$j"
	j=$((j + 1))
done
printf '\t.quad 0, 0, 0\n\t.section .note.GNU-stack,"",@progbits\n'
