#!/usr/bin/env bash
# Runs every test stage — unit tests, the same under ASan+UBSan, the fuzz
# corpus replayed under them, every allocation failed in turn over it, wire tests
# with real clients against a started dynemu, concurrent clients against it
# under ThreadSanitizer, the soak under wrk, hostile clients — even when one fails, then
# prints the total as the last line: `N passed, M failed`.
set -u
cd "$(dirname "$0")/.."
results=build/test-results
rm -rf "$results" && mkdir -p "$results"
status=0
passed=0 failed=0
# The soak's full length is make soak's; here it is a minute.
export SOAK_SECONDS=${SOAK_SECONDS:-60}
for stage in unit unit-asan fuzz-regress oom wire stress soak hostile; do
  make --no-print-directory "$stage" 2>&1 | tee "$results/$stage.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # Each stage ends with its own `N passed, M failed` line.
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$results/$stage.log" | tail -n 1)
  if [ -n "$line" ]; then
    read -r p _ f _ <<<"${line//,/}"
  else
    echo "stage $stage printed no results"; p=0 f=1
  fi
  summary+="$stage: $p passed, $f failed"$'\n'
  passed=$((passed + p)) failed=$((failed + f))
done
[ "$failed" -eq 0 ] || status=1
printf '\n%s' "$summary"
echo "$passed passed, $failed failed"
exit $status
