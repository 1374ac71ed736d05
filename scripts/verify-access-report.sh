#!/usr/bin/env bash
# Verifies a subject access report (知情权; docs/access-log.md, "Verifying a report with standard tools")
# with python3 (standard library), openssl and Fabric's own `peer` CLI reading the ledger. No code of
# the project and no gateway is involved.
#
#   scripts/verify-access-report.sh <report.json> [city whose peer to ask, default yantai]
#
# For each city part: every entry hashes (RFC 8785 canonical JSON, SHA-256) to its leaf and its RFC 9162
# inclusion proof leads to the root of the city's tree head; that head is the one anchored on the ledger
# (accessLog:GetTreeHead) and its signature verifies under the city's registered document key
# (cities:GetKey). Prints "ok   <check>" or "FAIL <check>: <why>" per check, then VALID or INVALID;
# exits 0, 1 when a check fails, 2 on a usage error. CORE_PEER_* variables select another peer CLI.
set -uo pipefail
[ $# -ge 1 ] && [ -f "$1" ] || { echo "usage: $0 <report.json> [city]" >&2; exit 2; }
# Working folder, peer CLI and the check helpers (check, checks, b64u, query).
source "$(dirname "$0")/lib/standard-tools.sh" "$@"

# Step 1 (entries.py): each entry's hash and inclusion proof against its city's head, as the report states it.
python3 - "$input" > entries.txt <<'PY'
import hashlib, json, sys
def jcs(v):  # RFC 8785 for the values a log entry holds (strings, integers, objects)
    if v is None or isinstance(v, (bool, str)): return json.dumps(v, ensure_ascii=False)
    if isinstance(v, int): return str(v)
    if isinstance(v, list): return "[" + ",".join(jcs(x) for x in v) + "]"
    return "{" + ",".join(jcs(k) + ":" + jcs(v[k]) for k in sorted(v, key=lambda k: k.encode("utf-16-be"))) + "}"
sha = lambda *parts: hashlib.sha256(b"".join(parts)).digest()
def root_from_path(leaf, index, size, path):  # RFC 9162 §2.1.3.2
    if not 0 <= index < size: return None
    fn, sn, r = index, size - 1, leaf
    for p in (bytes.fromhex(h) for h in path):
        if sn == 0: return None
        if fn % 2 == 1 or fn == sn:
            r = sha(b"\x01", p, r)
            while fn % 2 == 0 and fn != 0: fn, sn = fn >> 1, sn >> 1
        else:
            r = sha(b"\x01", r, p)
        fn, sn = fn >> 1, sn >> 1
    return r.hex() if sn == 0 else None
report = json.load(open(sys.argv[1], encoding="utf-8"))
subject, proven = report["subjectPseudonym"], set()
heads = open("heads.txt", "w")
for city, part in report["cities"].items():
    head = part.get("head")
    if part.get("status") == "unavailable":
        print("%s answered\tits gateway did not answer (%s)" % (city, "; ".join(part.get("problems", []))))
        continue
    if head is None:
        print("%s has no anchored head\t%s" % (city, "ok" if not part["entries"] else "entries without a head"))
        continue
    heads.write("%s\t%d\t%s\t%s\n" % (city, head["treeSize"], head["rootHash"], head["signedTreeHead"]))
    for item in part["entries"]:
        e, p, bad = item["entry"], item["proof"], []
        h = hashlib.sha256(jcs(e).encode("utf-8")).hexdigest()
        if h != item["entryHash"]: bad.append("the entry hashes to %s, not %s (altered)" % (h, item["entryHash"]))
        if e["log"] != city or e["subjectPseudonym"] != subject: bad.append("not an entry of this city about this subject")
        if p["leafIndex"] != e["index"] or p["treeSize"] != head["treeSize"]: bad.append("proof for another leaf or tree")
        if root_from_path(sha(b"\x00", bytes.fromhex(h)), p["leafIndex"], head["treeSize"], p["auditPath"]) != head["rootHash"]:
            bad.append("the inclusion proof does not lead to the head's root")
        print("%s entry %d (%s, %s) in the log\t%s" % (city, e["index"], e["action"], e["at"], "; ".join(bad) or "ok"))
        if not bad: proven.add((city, e["index"]))
missing = [a for a in report["accesses"] if (a["log"], a["index"]) not in proven]
print("every listed access is a proven entry\t%s" % ("ok" if not missing else "%d are not" % len(missing)))
PY
checks < entries.txt

# Steps 2 and 3, per city: the head is the one anchored on the ledger; its signature, with openssl.
while IFS=$'\t' read -r city size root sth; do
  q_head=$(python3 -c 'import json,sys; print(json.dumps({"Args":["accessLog:GetTreeHead", json.dumps({"city":sys.argv[1],"treeSize":int(sys.argv[2])})]}))' "$city" "$size")
  if query "$q_head" > anchored.json; then
    python3 - "$root" "$sth" <<'PY' > same.txt
import json, sys
a = json.load(open("anchored.json"))
print("ok" if a["rootHash"] == sys.argv[1] and a["signedTreeHead"] == sys.argv[2] else "the ledger holds another head of that size")
PY
    check "$city head of size $size anchored on the ledger" "$(cat same.txt)"
  else check "$city head of size $size anchored on the ledger" "not on the ledger ($(tr '\n' ' ' < err.txt | cut -c1-200))"; continue; fi
  h=${sth%%.*}; rest=${sth#*.}; p=${rest%%.*}; s=${rest#*.}
  b64u "$h" > header.json; b64u "$p" > payload.json
  python3 - "$city" "$size" "$root" <<'PY' > head.txt
import json, sys
h, p = json.load(open("header.json")), json.load(open("payload.json"))
ok = (h.get("alg") == "EdDSA" and h.get("typ") == "jcc-tree-head+jws" and p.get("v") == "jcc-access-log-head/v1" and p.get("city") == sys.argv[1]
      and p.get("treeSize") == int(sys.argv[2]) and p.get("rootHash") == sys.argv[3] and p.get("scheme") == "rfc9162-sha256/v1")
print("%s signed tree head states this city, size and root\t%s" % (sys.argv[1], "ok" if ok else "header or payload differ"))
open("q_key.txt", "w").write(json.dumps({"Args": ["cities:GetKey", json.dumps({"city": sys.argv[1], "kid": str(h.get("kid"))})]}))
PY
  checks < head.txt
  if query "$(cat q_key.txt)" > key.json; then
    python3 -c 'import json; k=json.load(open("key.json")); print("ok" if k["use"]=="document" and "revokedAt" not in k else "not an unrevoked document key"); open("x.txt","w").write(k["jwk"]["x"])' > key.txt
    check "$city head signed with a registered document key" "$(cat key.txt)"
    (printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; b64u "$(cat x.txt)") > pub.der
    printf %s "$h.$p" > signing-input; b64u "$s" > sig.bin
    if openssl pkey -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null &&
      openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in signing-input -sigfile sig.bin >/dev/null 2>&1; then
      check "$city head signature" ok
    else check "$city head signature" "openssl could not verify the EdDSA signature"; fi
  else check "$city head signed with a registered document key" "the key is not on the ledger"; fi
done < heads.txt
if [ $failed -eq 0 ]; then echo "VALID"; exit 0; else echo "INVALID"; exit 1; fi
