# kill: -l, -0, -TERM, -s, signals caught by traps, errors
kill -l | head -n 3
kill -l 9 15 2
kill -l TERM
kill -0 $$; echo "kill -0 self $?"
sleep 10 &
pid=$!
kill -0 $pid; echo "kill -0 child $?"
# the shell's notice of a killed job ("Terminated") is printed or not depending on whether its
# SIGCHLD was handled before `wait` (a race on Linux too): these groups' stderr is dropped
{ kill -TERM $pid; wait $pid; } 2>/dev/null; echo "TERM status $?"
sleep 10 &
{ kill -s KILL $!; wait $!; } 2>/dev/null; echo "KILL status $?"
sleep 10 &
{ kill -9 $!; wait $!; } 2>/dev/null; echo "-9 status $?"
sh -c 'trap "echo caught TERM; exit 5" TERM; kill -TERM $$; sleep 1' ; echo "trapped $?"
sh -c 'trap "echo caught HUP" HUP; kill -HUP $$; echo after' ; echo "hup $?"
kill -0 99999 2>&1; echo "no such pid $?"
kill -BOGUS $$ 2>&1; echo "bad signal $?"
kill 2>&1; echo "no args $?"
