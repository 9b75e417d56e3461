# dd: bs, count, skip, seek, conv; its stderr summary with the time and rate filtered
cd /tmp
seq 1 2000 > in
summary() { sed -e 's/copied, .*/copied, TIME/'; }
dd if=in of=out bs=512 count=3 2>&1 | summary
wc -c out
dd if=in of=out2 bs=100 skip=2 count=1 2>&1 | summary
cat out2; echo
printf 'XXXXXXXXXX' > pad
dd if=pad of=out2 bs=1 seek=5 count=3 conv=notrunc 2>&1 | summary
head -c 20 out2; echo
dd if=in bs=1000 count=2 2>/dev/null | wc -c
dd if=in ibs=7 obs=13 count=10 2>&1 >/dev/null | summary
printf 'abc' | dd bs=1 count=10 2>&1 | summary
printf 'lower' | dd conv=ucase 2>/dev/null; echo
dd if=/nonexistent of=x 2>&1
echo "status $?"
dd if=in of=x bs=0 2>&1
echo "status $?"
