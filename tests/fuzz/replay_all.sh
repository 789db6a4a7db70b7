#!/usr/bin/env bash
# tests/fuzz/replay_all.sh NAME... — each fuzz target's kept corpus
# (tests/fuzz/corpus/NAME) replayed once; the last line totals them.
cd "$(dirname "$0")/../.."
passed=0 failed=0
for t in "$@"; do
  log=$(build/fuzz-replay/fuzz_$t "tests/fuzz/corpus/$t" 2>build/fuzz-replay/$t.log)
  status=$?
  line=$(echo "$log" | tail -n 1)
  read -r p _ f _ <<<"${line//,/}"
  if [ $status -ne 0 ] || [ -z "$p" ]; then
    echo "fuzz_$t: a kept input broke it:"; tail -n 40 build/fuzz-replay/$t.log
    failed=$((failed + 1)) p=${p:-0}
  fi
  echo "fuzz_$t: $p inputs replayed"
  passed=$((passed + p)) failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
