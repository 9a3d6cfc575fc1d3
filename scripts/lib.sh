# What every script under scripts/ shares, sourced (not run):
#   . "$(dirname "$0")/lib.sh"
# The course map is lessons/lessons.tsv (order, grows from, the other end a
# teacher demos it with, the tutorial's section); no script lists lessons
# or pairs of its own: they ask here.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tsv=$root/lessons/lessons.tsv

# The script's header comment (its --help), from its second line
help_text() {
    awk 'NR > 1 && !/^#/ { exit }
        NR > 1 && !/^# shellcheck/ { sub(/^# ?/, ""); print }' "$0"
}

# -h/--help prints the help; no argument at all prints it as an error
# when the script needs one (help_or_exit "$@" needs-arg).
help_or_exit() {
    case "${1:-}" in -h|--help) help_text; exit 0;; esac
    if [ "${1:-}" = needs-arg ] && [ $# = 1 ]; then help_text >&2; exit 2; fi
}

die() { echo "error: $*" >&2; exit 1; }
die_usage() { echo "error: $*" >&2; exit 2; }

# The lessons in course order, one name a line.
lessons() { awk -F'\t' '!/^#/ && NF { print $1 }' "$tsv"; }

# course_map: each lesson in course order and the lesson it grows from, as
# NAME:FROM (FROM empty for a lesson that grows from none)
course_map() { awk -F'\t' '!/^#/ && NF { print $1 ":" ($2 == "-" ? "" : $2) }' "$tsv"; }
# grows_from NAME: the lesson NAME grows from (nothing for none)
grows_from() { course_map | sed -n "s/^$1://p"; }

# A lesson's name from what a teacher types: 5, 05 or 05-tcp-client.
# Prints nothing (and fails) when there is no such lesson.
lesson_name() {
    if [[ $1 =~ ^[0-9]{1,2}$ ]]; then
        lessons | grep "^$(printf %02d "$((10#$1))")-"
    else
        lessons | grep -xF -- "$1"
    fi
}

# lesson_or_die ARG: the name, or an error (exit 2) that says where to look
lesson_or_die() { lesson_name "$1" || die_usage "no lesson $1 (see lessons/lessons.tsv)"; }

# number NAME: 05-tcp-client -> 05
number() { echo "${1%%-*}"; }

# The Part 1 lesson (00-18: the tutorial's program) a lesson's chain
# starts from: itself in Part 1, else what it grows from, back to Part 1.
part1_of() {
    awk -F'\t' -v name="$1" '!/^#/ && NF { from[$1] = $2 }
        END { while (name + 0 >= 19) name = from[name]; print name }' "$tsv"
}

# chain_end NAME: the last lesson of the Part 2 chain that grows from a
# Part 1 lesson (the one that does everything the tutorial's program does,
# and more), each step the first Part 2 lesson that grows from the one
# before; the lesson itself while it has no chain.
chain_end() {
    awk -F'\t' -v name="$1" '!/^#/ && $1 + 0 >= 19 && !($2 in next_of) { next_of[$2] = $1 }
        END { while (name in next_of) name = next_of[name]; print name }' "$tsv"
}

# ends_of NAME: the lesson and the other end a teacher demos it with
# (lessons/lessons.tsv), the one that listens first: "SERVER CLIENT", a
# server (or 02, the receiver) by the tutorial's program its chain starts
# from; the same name twice for a lesson that talks to itself, like the
# chats (00 talks to nobody: "00-ip-address 00-ip-address")
ends_of() {
    local other
    other=$(awk -F'\t' -v name="$1" '$1 == name { print $3; exit }' "$tsv")
    case "$(part1_of "$1")" in
        *server*|*recv) echo "$1 $other";;
        *) echo "$other $1";;
    esac
}

# at_exit COMMAND: run when the script ends, after those registered before
# it, whether or not they fail
exit_actions=
at_exit() {
    exit_actions+="{ $1; } || true; "
    # shellcheck disable=SC2064 # the actions as they are now
    trap "$exit_actions" EXIT
}

# work_dir: a new temporary folder in $work, removed when the script ends,
# once the script's background jobs are stopped (they may write in it)
work_dir() {
    # shellcheck disable=SC2016 # $(jobs -p) when the script ends
    at_exit 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null'
    work=$(mktemp -d "${TMPDIR:-/tmp}/${0##*/}.XXXXXX") || die "cannot make a temporary folder"
    at_exit "rm -rf '$work'"
}

# until_true PID CMD...: runs CMD until it succeeds (10 s at most, or
# until PID ends; $$, the script itself, for a bound of 10 s alone): the
# one wait of every script, on what it can see, not a fixed sleep
until_true() {
    local pid=$1; shift
    for _ in $(seq 1000); do
        "$@" && return
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

# listening_on LOG [PID]: waits (10 s at most, or until PID ends) for a
# server's first line in LOG, `listening on ADDR`, and prints ADDR
listening_on() {
    until_true "${2:-$$}" grep -qs '^listening on ' "$1" \
        || die "no \"listening on\" line in $1: $(cat "$1" 2>/dev/null)"
    sed -n 's/^listening on //p' "$1"
}

# free_port tcp|udp: a port of 127.0.0.1 that is free now
free_port() {
    python3 -c 'import socket, sys
s = socket.socket(type=socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}

# build_bins NAME...: builds those binaries of the workspace (debug), in $bin
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/debug
build_bins() { cargo build -q --manifest-path "$root/Cargo.toml" "${@/#/--bin=}"; }

# bench_setup "TOOL..." NAME...: what every benchmark starts with: the
# tools it needs, its binaries built for release (in $bin), a folder of
# its own (work_dir), and its background jobs stopped when it ends
bench_setup() {
    local tool
    for tool in $1; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    shift
    cargo build -q --release --manifest-path "$root/Cargo.toml" "${@/#/--bin=}"
    # shellcheck disable=SC2034 # for the benchmark
    bin=$target/release
    work_dir
}

# skipped_tally < LOG: the skipped tests that a test run's LOG names (its
# `SKIPPED: why [test]` lines, also after a test's progress dot), counted
# by reason
skipped_tally() {
    local skipped
    skipped=$(grep -o 'SKIPPED: .* \[[^]]*\]$' || true)
    if [ -z "$skipped" ]; then
        echo "skipped: none"
        return
    fi
    echo "skipped: $(wc -l <<< "$skipped") tests, by reason:"
    # shellcheck disable=SC2001 # a pattern for every line
    sed 's/^SKIPPED: \(.*\) \[[^]]*\]$/\1/' <<< "$skipped" | sort | uniq -c | sort -rn
}
