#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ under AddressSanitizer and
# UndefinedBehaviorSanitizer, then either fuzzes each for FUZZ_SECONDS
# (swiftc on Linux refuses -sanitize=undefined: Swift code gets libFuzzer's
# coverage and ASan, and traps on overflow and bounds by itself; C code, the
# libxml2 shim and the dependencies' C, gets -fsanitize=undefined)
# (`fuzz`), or replays the committed corpus and every regression input once
# (`replay`, what CI runs: no new fuzzing). A crash found while fuzzing is
# written to Fuzz/regressions/<harness>/ : commit it, and add a test.
#
#   bash scripts/fuzz.sh fuzz [HARNESS...]     FUZZ_SECONDS=60 by default
#   bash scripts/fuzz.sh replay [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-fuzz}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(FuzzCSV FuzzXML FuzzName FuzzConfig FuzzValidate FuzzGzip FuzzOutput)
scratch=.build-fuzz
seconds=${FUZZ_SECONDS:-60}
# Swift's backtracer and AddressSanitizer both catch a crash; the
# sanitizer's report is the one wanted.
export SWIFT_BACKTRACE=enable=no

dict_of() {
    case $1 in
        FuzzCSV) echo Fuzz/dict/csv.dict ;;
        FuzzXML) echo Fuzz/dict/xml.dict ;;
        FuzzName) echo Fuzz/dict/name.dict ;;
        FuzzConfig) echo Fuzz/dict/config.dict ;;
        FuzzValidate) echo Fuzz/dict/validate.dict ;;
        FuzzGzip) echo Fuzz/dict/gzip.dict ;;
        FuzzOutput) echo Fuzz/dict/output.dict ;;
    esac
}

# Release with testing enabled: the byte loops run at their real speed, and
# the harnesses reach internal types. Sanitizers and coverage apply to all
# Swift code, edupipe's and its dependencies'.
mkdir -p "$scratch"
if ! swift build -c release --package-path Fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=undefined -Xswiftc -parse-as-library -Xswiftc -enable-testing \
    -Xswiftc -g >"$scratch/build.log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\]' "$scratch/build.log" | tail -40 >&2
    echo "fuzz: the harnesses did not build" >&2
    exit 1
fi
bin="$scratch/release"

status=0
for h in "${harnesses[@]}"; do
    [ -x "$bin/$h" ] || { echo "fuzz: $h was not built" >&2; exit 1; }
    common=(-dict="$(dict_of "$h")" -max_len=65536 -timeout=10 -rss_limit_mb=2048
            -artifact_prefix="Fuzz/regressions/$h/")
    case $mode in
        replay)
            # Every committed input once; any crash fails the run.
            if ! "$bin/$h" "${common[@]}" -runs=0 "Fuzz/corpus/$h" "Fuzz/regressions/$h" >"$scratch/$h.replay.log" 2>&1; then
                echo "fuzz: $h failed on a committed input:" >&2
                tail -40 "$scratch/$h.replay.log" >&2
                status=1
            else
                echo "fuzz: $h replayed $(ls "Fuzz/corpus/$h" | wc -l) corpus and $(ls "Fuzz/regressions/$h" | wc -l) regression inputs: ok"
            fi
            ;;
        fuzz)
            # New inputs go to a working corpus outside the repository.
            work="$scratch/corpus/$h"
            mkdir -p "$work"
            # GNU time, when there, adds the CPU seconds spent (the figure to
            # report: -max_total_time counts wall time).
            timing=()
            [ -x /usr/bin/time ] && timing=(/usr/bin/time -f "cpu-seconds %U user %S system" -a -o "$scratch/$h.fuzz.log")
            rm -f "$scratch/$h.fuzz.log"
            if ! "${timing[@]}" "$bin/$h" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
                "$work" "Fuzz/corpus/$h" >>"$scratch/$h.fuzz.log" 2>&1; then
                echo "fuzz: $h found a crash (see $scratch/$h.fuzz.log and Fuzz/regressions/$h/)" >&2
                tail -60 "$scratch/$h.fuzz.log" >&2
                status=1
            else
                stats=$(grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/$h.fuzz.log" | tr -s ' \n' ' ')
                cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$scratch/$h.fuzz.log" | tail -1)
                cpu=$(grep -E '^cpu-seconds' "$scratch/$h.fuzz.log" | tail -1)
                echo "fuzz: $h ${seconds}s: $cov $stats$cpu"
            fi
            ;;
        *) echo "usage: scripts/fuzz.sh fuzz|replay [HARNESS...]" >&2; exit 2 ;;
    esac
done
exit $status
