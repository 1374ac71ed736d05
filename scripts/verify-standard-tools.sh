#!/usr/bin/env bash
# Verifies a Jiaodong Credit Chain document the way the README's "Verifying a
# document with standard tools only" section describes: openssl, sha256sum,
# base64, python3 (standard library) and Fabric's own `peer` CLI reading the
# ledger. No code of the project and no gateway is involved.
#
#   scripts/verify-standard-tools.sh <doc.jws | bundle.json> [city whose peer to ask, default yantai]
#
# Prints one line per check and exits 0 when the document is authentic and in
# force, 1 when a check fails, 2 on a usage error.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: $0 <doc.jws|bundle.json> [city]" >&2; exit 2; }
input=$1; as=${2:-yantai}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# The peer CLI as a member of the channel (on the local network: that city's admin).
if [ -z "${CORE_PEER_ADDRESS:-}" ]; then eval "$(cd "$here" && npm run --silent network:env -- "$as")"; fi

json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }
b64u() { local s; s=$(printf %s "$1" | tr '_-' '/+'); while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done; printf %s "$s" | base64 -d; }
query() { peer chaincode query -C jiaodong -n creditchain -c "$(python3 -c 'import json,sys; print(json.dumps({"Args": [sys.argv[1], sys.argv[2]]}))' "$1" "$2")" 2>"$work/err"; }

failed=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1: $2"; failed=1; fi; }

# 1. The JWS, and the proof when the input is a bundle.
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$input" 2>/dev/null; then
  JWS=$(json "$input" 'd["jws"]')
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump(d.get("proof"), open(sys.argv[2],"w"))' "$input" "$work/proof.json"
else
  JWS=$(tr -d '\n' < "$input"); echo null > "$work/proof.json"
fi
H=${JWS%%.*}; REST=${JWS#*.}; P=${REST%%.*}; S=${REST#*.}
b64u "$H" > "$work/header.json"; b64u "$P" > "$work/document.json"
kid=$(json "$work/header.json" 'd["kid"]'); city=$(json "$work/document.json" 'd["issuer"]["city"]')
id=$(json "$work/document.json" 'd["id"]'); issuedAt=$(json "$work/document.json" 'd["issuedAt"]')
validUntil=$(json "$work/document.json" 'd["validUntil"]')
echo "document $city/$id, key $kid"

# 2. The key, from the ledger.
if query cities:GetKey "{\"city\":\"$city\",\"kid\":\"$kid\"}" > "$work/key.json"; then
  keyok=$(python3 - "$work/key.json" "$issuedAt" <<'PY'
import json, sys
k, t = json.load(open(sys.argv[1])), sys.argv[2]
ts = lambda s: s.replace('Z', '').ljust(23, '0')[:23] if 'T' in s else s
bad = [] if k['use'] == 'document' else ['not a document key']
if ts(k['validFrom']) > ts(t): bad.append('not yet valid at issue time')
if k.get('validTo') and ts(t) >= ts(k['validTo']): bad.append('expired before issue time')
if k.get('revokedAt') and ts(t) >= ts(k['revokedAt']): bad.append('revoked before issue time')
print('ok' if not bad else ', '.join(bad))
PY
)
  check "key registered to $city and valid at issue time" "$keyok"
  # 3. The signature, with openssl (Ed25519 public key wrapped in its SPKI prefix).
  (printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; b64u "$(json "$work/key.json" 'd["jwk"]["x"]')") > "$work/pub.der"
  openssl pkey -pubin -inform DER -in "$work/pub.der" -out "$work/pub.pem" 2>/dev/null
  printf %s "$H.$P" > "$work/signing-input"; b64u "$S" > "$work/sig.bin"
  if openssl pkeyutl -verify -pubin -inkey "$work/pub.pem" -rawin -in "$work/signing-input" -sigfile "$work/sig.bin" >/dev/null 2>&1; then
    check signature ok
  else check signature "openssl could not verify the signature"; fi
else
  check "key registered to $city and valid at issue time" "not on the ledger"
  check signature "no registered key to check it with"
fi

# 4. The content hash.
hash=$(printf %s "$JWS" | sha256sum | cut -d' ' -f1)
echo "content hash $hash"

# 5. Anchor and status on the ledger.
status=none; anchorHash=""
if query reports:GetDocument "{\"city\":\"$city\",\"id\":\"$id\"}" > "$work/doc.json"; then
  anchorHash=$(json "$work/doc.json" '(d.get("anchor") or {}).get("contentHash", "")')
  status=$(json "$work/doc.json" '(d.get("status") or {}).get("status", "none")')
fi
if [ "$(json "$work/proof.json" 'd is None')" = True ]; then
  if [ "$anchorHash" = "$hash" ]; then check "anchored (single)" ok; else check "anchored (single)" "no anchor with this hash"; fi
else
  # 6. Batch: recompute the root from the proof (RFC 9162 §2.1.3.2), then find it on the ledger.
  rootok=$(python3 - "$work/proof.json" "$JWS" <<'PY'
import hashlib, json, sys
p, jws = json.load(open(sys.argv[1])), sys.argv[2]
r = hashlib.sha256(b"\x00" + hashlib.sha256(jws.encode("ascii")).digest()).digest()
if r.hex() != p["leafHash"]:
    print("leaf hash differs"); sys.exit()
fn, sn = p["leafIndex"], p["treeSize"] - 1
for sibling in map(bytes.fromhex, p["auditPath"]):
    if fn % 2 == 1 or fn == sn:
        r = hashlib.sha256(b"\x01" + sibling + r).digest()
        while fn % 2 == 0 and fn != 0:
            fn, sn = fn >> 1, sn >> 1
    else:
        r = hashlib.sha256(b"\x01" + r + sibling).digest()
    fn, sn = fn >> 1, sn >> 1
print("ok" if sn == 0 and r.hex() == p["root"] else "the proof does not lead to its root")
PY
)
  batchId=$(json "$work/proof.json" 'd.get("batchId") or ""')
  if [ "$rootok" = ok ] && query reports:GetBatch "{\"city\":\"$city\",\"batchId\":\"$batchId\"}" > "$work/batch.json"; then
    same=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); p=json.load(open(sys.argv[2])); print("ok" if b["root"]==p["root"] and b["leafCount"]==p["treeSize"] else "the ledger has another root")' "$work/batch.json" "$work/proof.json")
    check "anchored (batch root on the ledger)" "$same"
  else
    check "anchored (batch root on the ledger)" "${rootok/ok/batch $batchId not on the ledger}"
  fi
fi
if [ "$status" = none ] || [ "$status" = active ]; then check "status in force" ok; else check "status in force" "$status"; fi

# 7. Expiry.
if python3 -c 'import sys,datetime; sys.exit(0 if datetime.datetime.fromisoformat(sys.argv[1].replace("Z","+00:00")) > datetime.datetime.now(datetime.timezone.utc) else 1)' "$validUntil"; then
  check "not expired" ok
else check "not expired" "expired at $validUntil"; fi

if [ $failed -eq 0 ]; then echo "VALID"; exit 0; else echo "INVALID"; exit 1; fi
