# sort and its keys, uniq
cd /tmp
printf 'pear 3\napple 10\nfig 2\napple 1\nbanana 25\nfig 2\n' > fruit
sort fruit
sort -r fruit
sort -u fruit
sort -n -k2 fruit
sort -k2,2n -k1,1r fruit
sort -t' ' -k2 fruit
printf '10\n9\n-1\n1e3\n0x10\n2.5\n' | sort -n
printf 'b\nA\na\nB\n' | sort
printf 'b\nA\na\nB\n' | sort -f
sort fruit | uniq -c
sort fruit | uniq -d
cut -d' ' -f1 fruit | sort | uniq -u
printf 'c\nb\na\n' | sort -o sorted; cat sorted
sort -c fruit; echo "check status $?"
sort -m sorted sorted
sort /nonexistent
echo "status $?"
