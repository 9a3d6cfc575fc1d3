# What every script under scripts/ shares, sourced (not run):
#   . "$(dirname "$0")/lib.sh"
# The course map is lessons/lessons.tsv (order, grows from, the other end a
# teacher demos it with, the tutorial's section); no script lists lessons
# or pairs of its own: they ask here.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tsv=$root/lessons/lessons.tsv

# The script's header comment (its --help): from its second line, or from
# the line that matches $1 ("^# usage:" for the usage alone).
help_text() {
    awk -v from="${1:-.}" 'NR > 1 && !/^#/ { exit }
        NR > 1 && $0 ~ from { on = 1 }
        on && !/^# shellcheck/ { sub(/^# ?/, ""); print }' "$0"
}

# -h/--help prints the help; no argument at all prints it as an error
# when the script needs one (help_or_exit "$@" needs-arg).
help_or_exit() {
    case "${1:-}" in -h|--help) help_text .; exit 0;; esac
    if [ "${1:-}" = needs-arg ] && [ $# = 1 ]; then help_text . >&2; exit 2; fi
}

die() { echo "error: $*" >&2; exit 1; }
die_usage() { echo "error: $*" >&2; exit 2; }

# The lessons in course order, one name a line.
lessons() { awk -F'\t' '!/^#/ && NF { print $1 }' "$tsv"; }

# field NAME N: the Nth column of a lesson's row (2 grows from, 3 the
# other end, 4 the tutorial's section)
field() { awk -F'\t' -v l="$1" -v n="$2" '$1 == l { print $n; exit }' "$tsv"; }
grows_from() { local from; from=$(field "$1" 2); [ "$from" = - ] || echo "$from"; }
other_end() { field "$1" 3; }

# A lesson's name from what a teacher types: 5, 05 or 05-tcp-client.
# Prints nothing (and fails) when there is no such lesson.
lesson_name() {
    local want=$1
    if [[ $want =~ ^[0-9]{1,2}$ ]]; then
        want=$(printf '%02d' "$((10#$want))")
        lessons | awk -v nn="$want" 'index($0, nn "-") == 1 { print; found = 1; exit }
            END { exit !found }'
    else
        lessons | awk -v name="$want" '$0 == name { print; found = 1; exit }
            END { exit !found }'
    fi
}

# lesson_or_die ARG: the name, or an error (exit 2) that says where to look
lesson_or_die() {
    lesson_name "$1" || die_usage "no lesson $1 (see lessons/lessons.tsv)"
}

# number NAME: 05-tcp-client -> 05
number() { echo "${1%%-*}"; }

# The Part 1 lesson (00-18: the tutorial's program) a lesson's chain
# starts from: itself in Part 1, else what it grows from, back to Part 1.
part1_of() {
    local name=$1
    while [ "$((10#$(number "$name")))" -ge 19 ]; do
        name=$(grows_from "$name")
        [ -n "$name" ] || return 1
    done
    echo "$name"
}

# chain_end NAME: the last lesson of the Part 2 chain that grows from a
# Part 1 lesson (the one that does everything the tutorial's program does,
# and more); the lesson itself while it has no chain.
chain_end() {
    local name=$1 next
    while next=$(awk -F'\t' -v l="$name" '!/^#/ && $2 == l && $1 + 0 >= 19 {
            print $1; exit }' "$tsv") && [ -n "$next" ]; do
        name=$next
    done
    echo "$name"
}

# pair_of NN: the lesson and the other end a teacher demos it with, as
# "NAME OTHER" (the same name twice for a lesson that talks to itself,
# like the chats; 00 talks to nobody: "00-ip-address 00-ip-address").
pair_of() {
    local name
    name=$(lesson_name "$1") || return 1
    echo "$name $(other_end "$name")"
}

# temp_dir VAR: a new temporary folder in VAR, removed when the script
# ends (with anything else registered with at_exit).
exit_actions=()
run_exit_actions() {
    local action
    for action in "${exit_actions[@]}"; do eval "$action" || true; done
}
at_exit() {
    [ ${#exit_actions[@]} -gt 0 ] || trap run_exit_actions EXIT
    exit_actions+=("$1")
}
temp_dir() {
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/${0##*/}.XXXXXX")
    at_exit "rm -rf '$dir'"
    printf -v "$1" %s "$dir"
}

# listening_on LOG [PID]: waits (10 s at most, or until PID ends) for a
# server's first line in LOG, `listening on ADDR`, and prints ADDR
listening_on() {
    local _
    for _ in $(seq 1000); do
        sed -n 's/^listening on //p' "$1" 2>/dev/null | grep . && return
        [ -z "${2:-}" ] || kill -0 "$2" 2>/dev/null || break
        sleep 0.01
    done
    die "no \"listening on\" line in $1: $(cat "$1" 2>/dev/null)"
}

# free_port tcp|udp: a port of 127.0.0.1 that is free now
free_port() {
    python3 -c 'import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}

# Builds the given binaries of the workspace (debug unless --release).
build_bins() {
    local args=() bin
    for bin in "$@"; do
        case "$bin" in --release) args+=(--release);; *) args+=(--bin "$bin");; esac
    done
    cargo build -q --manifest-path "$root/Cargo.toml" "${args[@]}"
}
