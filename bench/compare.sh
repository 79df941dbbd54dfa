#!/usr/bin/env bash
# bench/compare.sh [BASE]: the speed figures of issue #17 for BASE (a git
# ref, default main) and for this tree, measured in one run, side by side:
#
#   1. NLP: model load and tag+parse tokens per CPU-second (bench/nlpbench,
#      the same program built in both trees; median of 5 runs, twice)
#   2. start-up: kg schema, kg extract of one sentence (en, fr), kg facts
#      on the seed store: median wall and CPU of 7 whole-process runs
#   3. maps: go test -bench SVG ./internal/render in both trees
#   4. kg serve under 20 clients for 20 s (bench/serveload) on a store of
#      SERVE_N articles (default 2000; SERVE_N=0 skips it), or STORE=DIR:
#      entities asked with Zipf ranks, then with every map a new one
#
# Needs Go, python3, GNU time. Everything goes to a temp dir (or WORK=DIR);
# the summary is results.txt there. On a shared machine compare the CPU
# figures and the ratios: wall clock moves with the other load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BASE=${1:-${BASE:-main}}
SERVE_N=${SERVE_N:-2000}
work=${WORK:-$(mktemp -d /tmp/kg-compare.XXXXXX)}
mkdir -p "$work"
out="$work/results.txt"
: >"$out"
say() { echo "$*" | tee -a "$out"; }
ud=${UD:-$root/../shared/ud}

say "== kg compare: base $BASE ($(git rev-parse --short "$BASE")) vs this tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', modified')), $(date -u +%FT%TZ)"
say "   $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3); work dir $work"

# --- build ---------------------------------------------------------------
mkdir -p "$work/base-src" "$work/base" "$work/new"
git archive "$BASE" | tar -x -C "$work/base-src"
mkdir -p "$work/base-src/bench/nlpbench"
cp bench/nlpbench/main.go "$work/base-src/bench/nlpbench/"
(cd "$work/base-src" && go build -o "$work/base/kg" ./cmd/kg && go build -o "$work/base/nlpbench" ./bench/nlpbench)
go build -o "$work/new/kg" ./cmd/kg
go build -o "$work/new/nlpbench" ./bench/nlpbench
go build -o "$work/serveload" ./bench/serveload
say "   built base and new: kg $(du -m "$work/base/kg" | cut -f1) MB vs $(du -m "$work/new/kg" | cut -f1) MB"

# --- 1. NLP --------------------------------------------------------------
say ""
say "== 1. NLP (tokens per CPU-second, one goroutine; load = first LoadModel of a process)"
for round in 1 2; do
  for v in base new; do
    "$work/$v/nlpbench" -ud "$ud" -reps 5 | sed "s/^/   $v /" | tee -a "$out"
  done
done

# --- 2. start-up ---------------------------------------------------------
say ""
say "== 2. whole-process commands (median of 7: wall ms / CPU ms)"
"$work/new/kg" ingest seeds/ --store "$work/seed.db" >/dev/null 2>&1
printf 'Russia condemned the missile launches by North Korea.\n' >"$work/one-en.txt"
printf 'La Russie a condamné les tirs de missiles de la Corée du Nord.\n' >"$work/one-fr.txt"
# median7 CMD...: "wall/cpu" medians in ms of 7 runs
median7() {
  local i ws=() cs=() w u s
  for i in 1 2 3 4 5 6 7; do
    /usr/bin/time -f "%e %U %S" -o "$work/t.time" "$@" >/dev/null 2>&1 || true
    read -r w u s <"$work/t.time"
    ws+=("$(awk -v x="$w" 'BEGIN{printf "%d", x*1000}')")
    cs+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}')")
  done
  echo "$(printf '%s\n' "${ws[@]}" | sort -n | sed -n 4p)/$(printf '%s\n' "${cs[@]}" | sort -n | sed -n 4p)"
}
row() {
  local name=$1
  shift
  local b n
  b=$(median7 "$work/base/kg" "$@")
  n=$(median7 "$work/new/kg" "$@")
  say "   $(printf '%-34s' "$name") base $(printf '%9s' "$b")   new $(printf '%9s' "$n")"
}
row "kg schema" schema
row "kg extract, one sentence (en)" extract --lang en "$work/one-en.txt"
row "kg extract, one sentence (fr)" extract --lang fr "$work/one-fr.txt"
row "kg facts on the seed store" facts --store "$work/seed.db" --relation condemns --object DPRK
row "kg render of the seed store" render --store "$work/seed.db" -o "$work/seed.svg"

# --- 3. maps -------------------------------------------------------------
say ""
say "== 3. maps (internal/render's BenchmarkSVG100/200, one core, 10 maps each: CPU ms per map, then wall ms)"
for v in base new; do
  src="$work/base-src"
  [ "$v" = new ] && src="$root"
  (cd "$src" && go test -c -o "$work/$v/render.test" ./internal/render)
done
for b in SVG100 SVG200; do
  for v in base new; do
    (cd "$root/internal/render" && /usr/bin/time -f "%U %S" -o "$work/r.time" "$work/$v/render.test" -test.run XXX -test.bench "^Benchmark$b\$" -test.benchtime 10x -test.cpu 1 >"$work/r.out")
    read -r u s <"$work/r.time"
    say "   $v $b: $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.0f", (u+s)*100}') ms CPU, $(awk '/^Benchmark/ {printf "%.0f", $3/1e6}' "$work/r.out") ms wall"
  done
done

# --- 4. serve under load -------------------------------------------------
if [ "$SERVE_N" != 0 ] || [ -n "${STORE:-}" ]; then
  say ""
  store=${STORE:-$work/serve.db}
  if [ -z "${STORE:-}" ]; then
    read -r -a corpus <<<"$(ls "$root"/../shared/corpus/*.jsonl | tr '\n' ' ')"
    python3 bench/gencorpus.py "$SERVE_N" "$work/corpus.jsonl" schema/gazetteer.tsv.gz "${corpus[@]}"
    "$work/new/kg" ingest "$work/corpus.jsonl" --store "$store" >/dev/null 2>&1
  fi
  say "== 4. kg serve, 20 clients, 20 s each, 20% maps; entities Zipf 1.1 (hubs asked most), then every map a new one (-distinct: drawing, no cache)"
  say "   store $store: $("$work/new/kg" stats --store "$store" 2>/dev/null | tr '\n' ' ' | cut -c1-150)"
  port=18917
  for mode in "" -distinct; do
  for v in base new; do
    "$work/$v/kg" serve --store "$store" --addr "127.0.0.1:$port" >"$work/serve-$v.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/stats" >/dev/null 2>&1 && break; sleep 0.1; done
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    "$work/serveload" -url "http://127.0.0.1:$port" -clients 20 -duration 20s $mode -pid "$pid" | sed "s/^/   $v /" | tee -a "$out"
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    say "   $v server CPU during the load: $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", (b-a)/hz}') s"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
  done
fi
say ""
say "results: $out"
