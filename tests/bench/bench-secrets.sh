#!/bin/sh
# bench-secrets.sh: secrets-only scan of a ~250 MB tree against ripgrep searching the same tree
# for a dozen secret regexes, side by side in one run. Prints MB/s per core, the time ratio and
# peak RSS. A benchmark, not a test.
#   tests/bench/bench-secrets.sh BUILD_DIR [TREE]
# Without TREE it copies /usr/include, the Python library and /etc (mostly text: the hard case) to a temp dir.
set -eu
build=${1:?usage: bench-secrets.sh BUILD_DIR [TREE]}
bench="$build/plugins/secrets/bench-secrets"
tree=${2:-}
cleanup=
if [ -z "$tree" ]; then
	tree=$(mktemp -d /tmp/hull-bench-secrets.XXXXXX)
	cleanup=$tree
	for d in /usr/include /usr/lib/python3 /usr/lib/python3.11 /etc; do
		[ -d "$d" ] && mkdir -p "$tree$(dirname "$d")" && cp -a "$d" "$tree$(dirname "$d")/" 2>/dev/null || true
	done
fi
trap '[ -n "$cleanup" ] && rm -rf "$cleanup"' EXIT
bytes=$(du -sb "$tree" | cut -f1)
mb=$(echo "$bytes" | awk '{printf "%.1f", $1 / 1e6}')
echo "tree: $tree ($mb MB, $(find "$tree" -type f | wc -l) files)"
export HULL_SOURCE_ROOT=${HULL_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export HULLSCAN_DATA_DIR=${HULLSCAN_DATA_DIR:-$HULL_SOURCE_ROOT/configs}

# Warm the page cache so both tools read from memory.
find "$tree" -type f -print0 | xargs -0 cat > /dev/null 2>&1 || true

set -- -e 'AKIA[0-9A-Z]{16}' -e 'gh[pousr]_[A-Za-z0-9]{36}' -e 'github_pat_[A-Za-z0-9_]{82}' \
	-e 'glpat-[A-Za-z0-9_-]{20}' -e 'xox[baprs]-[0-9A-Za-z-]{10,}' -e 'sk_live_[0-9a-zA-Z]{24,}' \
	-e 'AIza[0-9A-Za-z_-]{35}' -e 'SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}' -e 'npm_[A-Za-z0-9]{36}' \
	-e '-----BEGIN [A-Z ]*PRIVATE KEY-----' -e 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}' \
	-e '[a-z][a-z0-9+.-]{1,20}://[^\s:/@]{1,64}:[^\s:/@]{3,128}@[A-Za-z0-9.-]+'

now() { date +%s.%N; }
for jobs in 1 2; do
	t0=$(now); rg -uuu -c -j "$jobs" "$@" "$tree" > /dev/null 2>&1 || true; t1=$(now)
	rg_s=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
	out=$(/usr/bin/env "$bench" "$tree" "$jobs")
	hs_s=$(echo "$out" | sed -n 's/^scan_s=//p')
	init_s=$(echo "$out" | sed -n 's/^init_s=//p')
	rss=$(echo "$out" | sed -n 's/^peak_rss_kib=//p')
	nf=$(echo "$out" | sed -n 's/^findings=//p')
	echo "jobs=$jobs hullscan-secrets: ${hs_s}s (+${init_s}s rule compile), $(echo "$mb $hs_s $jobs" | awk '{printf "%.0f", $1 / $2 / $3}') MB/s per core, peak RSS $(echo "$rss" | awk '{printf "%.1f", $1 / 1024}') MiB, $nf findings"
	echo "jobs=$jobs ripgrep (12 regexes, -uuu): ${rg_s}s, $(echo "$mb $rg_s $jobs" | awk '{printf "%.0f", $1 / $2 / $3}') MB/s per core"
	echo "jobs=$jobs ratio hullscan/ripgrep: $(echo "$hs_s $rg_s" | awk '{printf "%.2f", $1 / $2}')"
done
