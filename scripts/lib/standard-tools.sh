# Shared by the standard-tools recipes (scripts/verify-standard-tools.sh, scripts/verify-access-report.sh);
# sourced, not run. Expects "$@" of the recipe: <input file> [city whose peer to ask, default yantai].
# Sets input (absolute path), as, here (the repository), moves into a temporary folder removed on exit,
# and selects Fabric's peer CLI as a member of the channel (on the local network: that city's admin)
# unless CORE_PEER_ADDRESS and the other CORE_PEER_* variables name another one.
input=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); as=${2:-yantai}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
if [ -z "${CORE_PEER_ADDRESS:-}" ]; then eval "$(cd "$here" && npm run --silent network:env -- "$as")"; fi

failed=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1: $2"; failed=1; fi; }
checks() { while IFS=$'\t' read -r name result; do check "$name" "$result"; done; }  # "name<TAB>result" lines
verdict() { if [ $failed -eq 0 ]; then echo "VALID"; exit 0; else echo "INVALID"; exit 1; fi; }
b64u() { local s; s=$(printf %s "$1" | tr '_-' '/+'); while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done; printf %s "$s" | base64 -d; }
# query <the -c argument> > out.json; on failure the peer's message is in err.txt.
query() { peer chaincode query -C jiaodong -n creditchain -c "$1" 2>err.txt; }
ledger_error() { tr '\n' ' ' < err.txt | sed -E 's/.*(NOT_FOUND|message:)/\1/' | cut -c1-200; }
