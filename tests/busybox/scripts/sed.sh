# sed: substitution, addresses, -n/p, d, y, hold space, -e, -i
cd /tmp
printf 'alpha beta\ngamma delta\nepsilon zeta\neta theta\n' > f
sed 's/a/A/' f
sed 's/a/A/g' f
sed -n '2p' f
sed -n '/eps/,$p' f
sed '2,3d' f
sed -e 's/ /_/' -e 's/e/E/2' f
sed 'y/abc/XYZ/' f
sed -n '$=' f
sed '1!G;h;$!d' f
sed 's/\(\w*\) \(\w*\)/\2 \1/' f
sed -E 's/(a+)/[\1]/g' f
sed '/gamma/a\
appended' f
sed '2i inserted' f
sed '3c changed' f
sed 's/beta/&&/w written' f > /dev/null; cat written
cp f g; sed -i 's/eta/ETA/g' g; cat g
sed -n 'l' f
sed q f
sed 2q f
echo "a.b.c" | sed 's/\./-/g'
sed 's/unterminated' f
echo "status $?"
