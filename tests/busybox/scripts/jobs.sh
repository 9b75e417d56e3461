# sh -i
# interactive sh fed by this script on stdin: background jobs, jobs, kill %1, wait
sleep 10 &
jobs
kill %1
wait
echo "after kill: $?"
sleep 10 &
jobs
kill -KILL %1
wait %1
echo "wait %1: $?"
jobs
(exit 3) &
wait $!
echo "wait pid: $?"
true &
wait
echo "wait all: $?"
sh -c 'kill -TERM $$'
echo "self-killed child: $?"
echo done
exit
