# ps: this script's own processes (the pids and the other processes of the system filtered)
cd /tmp
sleep 5 &
bg=$!
# until the child runs sleep and sleeps in it (else ps may catch it still runnable: STAT R)
until [ "$(cat /proc/$bg/comm 2>/dev/null)" = sleep ] && grep -q "^State:.S" /proc/$bg/status; do
	usleep 10000
done
p=$$
ps -o pid,ppid,stat,comm,args > ps.out
grep -E "^ *($p|$bg) " ps.out | sed -e "s/\\b$PPID\\b/LAUNCH/g" -e "s/\\b$p\\b/SH/g" -e "s/\\b$bg\\b/BG/g" | sed 's/  */ /g'
head -n 1 ps.out
ps > ps2.out
head -n 1 ps2.out
grep -c "sleep 5" ps2.out
# the shell's notice "Terminated" is racy (see kill.sh): dropped
{ kill $bg; wait $bg; } 2>/dev/null
echo "sleep killed: $?"
ps -o pid,comm | grep -c sleep
echo "status $?"
