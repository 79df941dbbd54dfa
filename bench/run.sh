#!/usr/bin/env bash
# kg ingest/query benchmark. See bench/README.md for what is measured and why.
#
#   bench/run.sh [N]          N articles (default 20000; env N works too)
#
# Environment:
#   WORK=DIR        keep stores, corpus and logs there (default: a new temp dir)
#   CORPUS="F..."   source JSON Lines (default ../shared/corpus/*.jsonl)
#   SYNTH=K         add a gazetteer sentence to every K-th English article (default 3, 0: none)
#   GOFLAGS_KG=...  extra go build flags for kg, e.g. "-overlay /tmp/ov.json"
#   KG=PATH STORELOAD=PATH  use these binaries instead of building them
#   CAYLEY=PATH     a cayley binary to compare with (else built from the module cache)
#   GOBENCH=1       also run the Go benchmarks of internal/graph/batch_test.go
#
# Timings are wall-clock on a possibly shared machine, so each line also
# gives CPU seconds (user+sys); rates per CPU-second are what to compare
# across runs when the load average is high (it is printed at the top).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
N=${1:-${N:-20000}}
work=${WORK:-$(mktemp -d /tmp/kg-bench.XXXXXX)}
mkdir -p "$work"
read -r -a corpus <<<"${CORPUS:-$(ls "$root"/../shared/corpus/*.jsonl | tr '\n' ' ')}"
export SYNTH=${SYNTH:-3}
out="$work/results.txt"
: >"$out"
say() { echo "$*" | tee -a "$out"; }

# timed NAME CMD...: runs CMD with /usr/bin/time; stdout to $work/NAME.out,
# stderr to $work/NAME.err; sets WALL, CPU (s), RSS (MB) and RC.
timed() {
  local name=$1
  shift
  RC=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || RC=$?
  read -r WALL u s kb < <(tail -n 1 "$work/$name.time")
  CPU=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
  RSS=$(awk -v k="$kb" 'BEGIN{printf "%.0f", k/1024}')
}
# median_ms CMD...: median wall time of 5 runs of CMD (whole process), in ms.
median_ms() {
  local ts=() i t0 t1
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    ts+=($(((t1 - t0) / 1000000)))
  done
  printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN{ if (t > 0) printf "%.1f", n/t; else print "inf" }'; }

say "== kg benchmark: N=$N articles, $(date -u +%FT%TZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
say "   $(nproc) CPUs, GOMAXPROCS default $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
say "   work dir $work"

# --- build ---------------------------------------------------------------
if [ -n "${KG:-}" ] && [ -n "${STORELOAD:-}" ]; then
  cp "$KG" "$work/kg" && cp "$STORELOAD" "$work/storeload"
else
  # shellcheck disable=SC2086
  go build ${GOFLAGS_KG:-} -o "$work/kg" ./cmd/kg
  # shellcheck disable=SC2086
  go build ${GOFLAGS_KG:-} -o "$work/storeload" ./bench/storeload
fi
kg="$work/kg"
cayley=${CAYLEY:-}
if [ -z "$cayley" ]; then
  ver=$(go list -m -f '{{.Version}}' github.com/cayleygraph/cayley)
  mod=$(mktemp -d "$work/cayleymod.XXXXXX")
  printf 'module cayleybuild\n\ngo 1.26\n\nrequire github.com/cayleygraph/cayley %s\n' "$ver" >"$mod/go.mod"
  cp go.sum "$mod/"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/cayleygraph/cayley/cmd/cayley"\n' >"$mod/tools.go"
  # the module cache first, else the module proxy (the modules kg does not need)
  if (cd "$mod" && GOFLAGS=-mod=mod go build -o "$work/cayley" github.com/cayleygraph/cayley/cmd/cayley) >"$work/cayley-build.log" 2>&1; then
    cayley="$work/cayley"
    say "   cayley $ver built"
  else
    say "   cayley CLI: cannot be built here (no module proxy?; see $work/cayley-build.log); store phase measured alone"
  fi
fi

# --- corpus --------------------------------------------------------------
python3 bench/gencorpus.py "$N" "$work/corpus.jsonl" schema/gazetteer.tsv.gz "${corpus[@]}"
say "   corpus: $N articles, $(du -m "$work/corpus.jsonl" | cut -f1) MB, from ${#corpus[@]} file(s), repeated with fresh ids; SYNTH=$SYNTH"
say ""

# --- 1. extraction -------------------------------------------------------
say "== 1. extraction"
for p in 1 2; do
  GOMAXPROCS=$p timed "extract$p" "$kg" extract "$work/corpus.jsonl"
  say "   kg extract (one worker per core) GOMAXPROCS=$p: $(rate "$N" "$WALL") articles/s ($WALL s wall, $CPU s cpu, peak RSS $RSS MB, exit $RC)"
  eval "xw$p=$WALL xc$p=$CPU"
done
cmp -s "$work/extract1.out" "$work/extract2.out" && same="identical output" || same="OUTPUT DIFFERS"
say "   kg extract scaling 1 -> 2 cores: $(awk -v a="$xw1" -v b="$xw2" 'BEGIN{printf "%.2f", a/b}')x wall, CPU per article $(awk -v a="$xc1" -v b="$xc2" 'BEGIN{printf "%.2f", b/a}')x; $same"
GOMAXPROCS=1 timed pool1 "$work/storeload" -workers 1 "$work/corpus.jsonl"
say "   worker pool (ingest's), GOMAXPROCS=1: $(grep '^extract:' "$work/pool1.out")"
w1=$(grep -o '[0-9.]* articles/s' "$work/pool1.out" | cut -d' ' -f1)
c1=$(grep -o '[0-9.]*s cpu' "$work/pool1.out" | cut -d's' -f1)
GOMAXPROCS=2 timed pool2 "$work/storeload" -workers 2 -store "$work/replay.db" "$work/corpus.jsonl"
say "   worker pool (ingest's), GOMAXPROCS=2: $(grep '^extract:' "$work/pool2.out")"
w2=$(grep '^extract:' "$work/pool2.out" | grep -o '[0-9.]* articles/s' | cut -d' ' -f1)
c2=$(grep '^extract:' "$work/pool2.out" | grep -o '[0-9.]*s cpu' | cut -d's' -f1)
wl1=$(grep -o '[0-9.]*s wall' "$work/pool1.out" | cut -d's' -f1)
wl2=$(grep '^extract:' "$work/pool2.out" | grep -o '[0-9.]*s wall' | cut -d's' -f1)
say "   scaling 1 -> 2 cores: $(awk -v a="$w1" -v b="$w2" 'BEGIN{printf "%.2f", b/a}')x wall; CPU per article $(awk -v a="$c1" -v b="$c2" 'BEGIN{printf "%.2f", b/a}')x (1.00 = no parallel overhead)"
say "   cores actually obtained (cpu/wall): $(awk -v c="$c1" -v w="$wl1" 'BEGIN{printf "%.2f", c/w}') with 1 worker, $(awk -v c="$c2" -v w="$wl2" 'BEGIN{printf "%.2f", c/w}') with 2 (other load on the machine caps the wall-clock scaling)"
say ""

# --- 2. end-to-end ingest into a fresh bbolt store --------------------------
say "== 2. kg ingest, end to end, into a fresh bbolt store (GOMAXPROCS=$(nproc), default --batch)"
timed ingest "$kg" --store "$work/kg.db" ingest "$work/corpus.jsonl"
say "   $(head -n 1 "$work/ingest.out")"
"$kg" --store "$work/kg.db" stats >"$work/stats.out"
quads=$(awk '$1=="quads"{print $2}' "$work/stats.out")
ing_rate=$(rate "$N" "$WALL")
say "   $ing_rate articles/s, $(rate "$quads" "$WALL") quads/s ($quads quads; $WALL s wall, $CPU s cpu, $(rate "$N" "$CPU") articles per cpu-second; exit $RC)"
ing_rss=$RSS CPU_ING=$CPU
say "   peak RSS $RSS MB; store on disk $(du -sm "$work/kg.db" | cut -f1) MB"
timed reingest "$kg" --store "$work/kg.db" ingest "$work/corpus.jsonl"
say "   re-ingest, all unchanged: $(rate "$N" "$WALL") articles/s ($WALL s wall, $CPU s cpu, peak RSS $RSS MB)"
say ""

# --- 3. store phase vs cayley load ---------------------------------------
# --- 2b. memory as the corpus grows -----------------------------------------
# rss_run OUT CMD...: runs CMD (output to OUT) sampling /proc every 0.2 s;
# sets ANON and FILE, the peaks of its anonymous and file-backed resident
# memory in MB. File-backed pages are bbolt's memory map of the store, which
# the kernel can drop at will; anonymous memory is what ingest holds.
rss_run() {
  local out=$1 pid a f
  shift
  "$@" >"$out" 2>&1 &
  pid=$!
  ANON=0 FILE=0
  while kill -0 "$pid" 2>/dev/null; do
    read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    [ "${a:-0}" -gt "$ANON" ] && ANON=$a
    [ "${f:-0}" -gt "$FILE" ] && FILE=$f
    sleep 0.2
  done
  wait "$pid" || true
  ANON=$((ANON / 1024)) FILE=$((FILE / 1024))
}
say "== 2b. kg ingest memory as the corpus grows (fresh bbolt stores, first n articles)"
for n in $((N / 10)) $((N / 4)) "$N"; do
  head -n "$n" "$work/corpus.jsonl" >"$work/part.jsonl"
  rm -rf "$work/part.db"
  rss_run "$work/part.out" "$kg" --store "$work/part.db" ingest "$work/part.jsonl"
  say "   n=$n: peak anonymous RSS $ANON MB, peak file-backed RSS $FILE MB (store $(du -sm "$work/part.db" | cut -f1) MB)"
done
rm -rf "$work/part.db" "$work/part.jsonl"
say ""

say "== 3. store phase alone (extraction done before the clock starts)"
say "   kg PutArticles: $(grep '^store:' "$work/pool2.out")"
kg_store_wall=$(grep '^store:' "$work/pool2.out" | grep -o '[0-9.]*s wall' | cut -d's' -f1)
if [ -n "$cayley" ]; then
  "$cayley" dump -d bolt -a "$work/replay.db" -o "$work/all.nq" >/dev/null 2>&1
  nq=$(wc -l <"$work/all.nq")
  timed cayley "$cayley" load --init -d bolt -a "$work/cayley.db" -i "$work/all.nq"
  say "   cayley load (bolt, batch 10000) of the same $nq N-Quads: $(rate "$nq" "$WALL") quads/s ($WALL s wall, $CPU s cpu, peak RSS $RSS MB, exit $RC); store $(du -sm "$work/cayley.db" | cut -f1) MB"
  say "   kg store phase / cayley load time: $(awk -v a="$kg_store_wall" -v b="$WALL" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "?" }') (<= 1: kg no slower)"
  cay_wall=$WALL
fi
say ""

# --- 4. queries on the big store -----------------------------------------
say "== 4. queries on the ingested store (median of 5 runs, whole process)"
"$work/storeload" -query "$work/kg.db" >"$work/query.out" 2>&1 || true
sed 's/^query: /   in process: /' "$work/query.out" | tee -a "$out"
say "   kg schema (no store: process start-up alone): $(median_ms "$kg" schema) ms"
say "   kg stats: $(median_ms "$kg" --store "$work/kg.db" stats) ms"
"$kg" --store "$work/kg.db" neighbors Q423 --depth 2 --format csv >"$work/neighbors.out" 2>&1 || true
nb_ms=$(median_ms "$kg" --store "$work/kg.db" neighbors Q423 --depth 2)
say "   kg neighbors Q423 --depth 2: $nb_ms ms ($(($(wc -l <"$work/neighbors.out") - 1)) result rows)"
# A ~200-node map: the first selection drawing 120-300 nodes (kg render
# refuses more than 300), else the largest one drawn.
sel="" nodes=0 best="" bestn=0
for cand in "--subject Q423 --relation condemns --relation threatens --relation attacks --relation sanctions" \
  "--subject Q423 --limit 200" "--object Q423" "--entity Q423 --depth 1" "--relation condemns" "--relation meets"; do
  # shellcheck disable=SC2086
  # (kg render exits 1 when it refuses a selection: not an error here.)
  n=$({ "$kg" --store "$work/kg.db" render $cand -o "$work/map.svg" 2>/dev/null || true; } | sed -n 's/^wrote .*: \([0-9]*\) entities.*/\1/p')
  n=${n:-0}
  if [ "$n" -ge 120 ] && [ "$n" -le 300 ]; then sel=$cand nodes=$n; break; fi
  if [ "$n" -gt "$bestn" ]; then best=$cand bestn=$n; fi
done
[ -n "$sel" ] || { sel=$best; nodes=$bestn; }
# shellcheck disable=SC2086
render_ms=$(median_ms "$kg" --store "$work/kg.db" render $sel -o "$work/map.svg")
say "   kg render $sel -o map.svg ($nodes nodes): $render_ms ms"
say ""

# --- 5. Go benchmarks ----------------------------------------------------
if [ "${GOBENCH:-0}" = 1 ]; then
  say "== 5. go test -bench PutArticles ./internal/graph"
  # shellcheck disable=SC2086
  go test ${GOFLAGS_KG:-} -run '^$' -bench 'PutArticles' -benchtime 2x ./internal/graph | grep -E '^Benchmark' | sed 's/^/   /' | tee -a "$out"
  say ""
fi

# --- targets -------------------------------------------------------------
say "== targets (wall-clock on this machine; see CPU figures above when it is loaded)"
chk() { if awk "BEGIN{exit !($2)}"; then say "   ok    $1"; else say "   MISS  $1"; fi; }
chk "end-to-end ingest >= 150 articles/s: $ing_rate" "$ing_rate >= 150"
chk "extraction scaling 1->2 cores >= 1.7x: $(awk -v a="$w1" -v b="$w2" 'BEGIN{printf "%.2f", b/a}')" "$w2 / $w1 >= 1.7"
# What the same runs give when the other load is factored out: CPU time
# is what kg used whatever else ran, so these hold on 2 free cores unless
# the disk, not the CPU, is the bottleneck.
cing=$(rate "$N" "$CPU_ING")
say "   (cpu-normalised: ingest $cing articles per cpu-second, i.e. $(awk -v r="$cing" 'BEGIN{printf "%.0f", 2*r}') articles/s on 2 free cores;"
say "    extraction on 2 workers uses $(awk -v a="$c1" -v b="$c2" 'BEGIN{printf "%.2f", b/a}')x the CPU per article of 1 worker, i.e. $(awk -v a="$c1" -v b="$c2" 'BEGIN{printf "%.2f", 2*a/b}')x scaling on 2 free cores)"
if [ -n "$cayley" ]; then chk "store phase no slower than cayley load: ${kg_store_wall}s vs ${cay_wall}s" "$kg_store_wall <= $cay_wall"; fi
chk "peak RSS <= 500 MB for N=$N: $ing_rss MB" "$ing_rss <= 500"
chk "neighbors Q423 --depth 2 <= 150 ms: $nb_ms ms" "$nb_ms <= 150"
chk "~200-node map <= 1.5 s: $render_ms ms ($nodes nodes)" "$render_ms <= 1500"
say ""
say "results in $out"
