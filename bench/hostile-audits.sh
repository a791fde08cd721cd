#!/usr/bin/env bash
# Audits every hostile candidate of test/fixtures/candidates and prints: exit code, failing families, wall time and
# the peak RSS of the process tree's largest member (GNU time %M). A measurement for the note, not a test.
set -u
cd "$(dirname "$0")/.."
printf '%-22s %-5s %-8s %-9s %s\n' candidate exit seconds peakKB failing-families
for t in spins.py sleeps.py exits.py segfault.py memory_hog.py chatty.py noisy_correct.py returns_list.py returns_none.py returns_complex.py \
         huge_output.py mutates.py raises.py hostile_message.py patches_exp.py import_error.py syntax_error.py \
         no_function.py missing_library.py hangs_at_import.py spawns_child.py correct.py correct.mjs; do
  fn=softmax
  out=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$out.time" node bin/softmax-conformance.js audit "test/fixtures/candidates/$t:$fn" --contract last \
    --num-runs 300 --timeout 2000 --budget 60 --memory 512 --json > "$out" 2>/dev/null
  code=$?
  read -r secs kb < <(tail -n 1 "$out.time")
  fams=$(python3 -c "import json,sys
try:
  r=json.load(open('$out'))
  i=r['implementations'][0]
  f=sorted({c['family'] for c in i['checks'] if c['verdict']=='fail'})
  e=sum(1 for c in i['checks'] if c['verdict']=='error')
  print((','.join(f) or '-') + (f' (+{e} checks unjudgeable)' if e else ''))
except Exception as e: print('no report')")
  printf '%-22s %-5s %-8s %-9s %s\n' "$t" "$code" "$secs" "$kb" "$fams"
  rm -f "$out" "$out.time"
done
