#!/usr/bin/env bash
# Verifies a Jiaodong Credit Chain document the way docs/formats.md, "Verifying a
# document with standard tools only", describes it, step by step and with the same
# Python snippets: openssl, sha256sum, base64, python3 (standard library) and Fabric's
# own `peer` CLI reading the ledger. No code of the project and no gateway is involved.
#
#   scripts/verify-standard-tools.sh <doc.jws | bundle.json> [city whose peer to ask, default yantai]
#
# Prints one line per check ("ok   <check>" or "FAIL <check>: <why>"), then VALID or
# INVALID. Exits 0 when the document is authentic and in force, 1 when a check fails,
# 2 on a usage error. Set CORE_PEER_ADDRESS and the other CORE_PEER_* variables to use
# another channel member's peer CLI; otherwise the local network's admin of [city] is used.
set -uo pipefail
[ $# -ge 1 ] && [ -f "$1" ] || { echo "usage: $0 <doc.jws|bundle.json> [city]" >&2; exit 2; }
# Working folder, peer CLI and the check helpers (check, checks, verdict, b64u, query, ledger_error).
source "$(dirname "$0")/lib/standard-tools.sh" "$@"

# Step 1. The JWS, exactly as given (form.py): the compact serialization, or the JSON serialization
# (general form, RFC 7515 §7.2.1) of the SM2 suites (docs/national-crypto.md). Writes jws.txt (the exact
# text that is hashed), form.txt's verdict, form ("compact" or "json"), payload.txt and sigs.txt
# ("protected<TAB>signature", one line per signature).
python3 - "$input" > form.txt <<'PY'
import json, re, sys
b64url = re.compile(r"[A-Za-z0-9_-]+")
try:
    text = open(sys.argv[1], encoding="utf-8", newline="").read()  # newline="": the bytes as they are
except ValueError:
    text = ""
try:
    bundle = json.loads(text)
except (ValueError, RecursionError):
    bundle = None
if isinstance(bundle, dict) and "signatures" in bundle:  # a bare JSON-serialized JWS (one final line feed allowed)
    jws, proof = (text[:-1] if text.endswith("\n") else text), None
elif isinstance(bundle, dict):  # {"jws": ..., "proof": ...}: the jws member exactly as it is
    jws, proof = bundle.get("jws"), bundle.get("proof")
else:  # a bare .jws file: one line, the compact JWS (one final line feed allowed)
    jws, proof = (text[:-1] if text.endswith("\n") else text), None
json.dump(proof, open("proof.json", "w"))
def written(form, payload, sigs):
    open("jws.txt", "w", newline="").write(jws)
    open("form", "w").write(form)
    open("payload.txt", "w").write(payload)
    open("sigs.txt", "w").write("".join("%s\t%s\n" % s for s in sigs))
    print("jws form\tok")
if not isinstance(jws, str):
    print("jws form\tthe bundle has no string member jws")
elif re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", jws):
    h, p, s = jws.split(".")
    written("compact", p, [(h, s)])
elif jws.strip() != jws:
    print("jws form\tthe jws has leading or trailing whitespace (%r); the anchored hash covers the exact text, so it is refused, not trimmed" % jws[-3:])
elif jws.startswith("{"):
    try:
        j = json.loads(jws)
    except (ValueError, RecursionError):
        j = None
    b = lambda v: isinstance(v, str) and b64url.fullmatch(v)
    if (isinstance(j, dict) and set(j) == {"payload", "signatures"} and b(j["payload"]) and isinstance(j["signatures"], list) and j["signatures"]
            and all(isinstance(e, dict) and set(e) == {"protected", "signature"} and b(e["protected"]) and b(e["signature"]) for e in j["signatures"])):
        written("json", j["payload"], [(e["protected"], e["signature"]) for e in j["signatures"]])
    else:
        print("jws form\tnot a JWS in the JSON serialization, general form (exactly payload and a non-empty signatures list of exactly protected and signature, all base64url)")
else:
    print("jws form\tnot a compact JWS (three base64url parts separated by dots, nothing else) nor a JSON-serialized one")
PY
checks < form.txt
[ -f jws.txt ] || verdict
form=$(cat form); P=$(cat payload.txt); n=$(wc -l < sigs.txt)
sig_part() { sed -n "$1p" sigs.txt | cut -f"$2"; }  # sig_part <signature number> <1 protected | 2 signature>

# Step 2. Header and payload (decode.py): exact header members, RFC 8785 canonical payload.
b64u "$P" > payload.bin
for i in $(seq 1 "$n"); do b64u "$(sig_part "$i" 1)" > "header-$i.bin"; done
python3 - "$form" "$n" > decode.txt <<'PY'
import json, math, re, shlex, sys
def jcs(v):  # RFC 8785: sorted members (UTF-16 order), no whitespace, ECMAScript numbers
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (int, float)):
        return number(float(v))
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    return "{" + ",".join(jcs(k) + ":" + jcs(v[k]) for k in sorted(v, key=lambda k: k.encode("utf-16-be"))) + "}"
def number(x):  # ECMAScript Number::toString, as RFC 8785 §3.2.2.3 requires
    if not math.isfinite(x):
        raise ValueError("not a finite number")
    if x == 0:
        return "0"
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    k = len(digits.rstrip("0"))
    n = int(exp or 0) - len(frac) + len(digits)  # x = 0.digits * 10**n
    digits = digits[:k]
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * -n + digits
    else:
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") + str(abs(n - 1))
    return ("-" if x < 0 else "") + s
def report(name, problem):
    print(name + "\t" + (problem or "ok"))
form, count = sys.argv[1], int(sys.argv[2])
try:
    headers = [json.loads(open("header-%d.bin" % i, "rb").read().decode("utf-8")) for i in range(1, count + 1)]
    payload = open("payload.bin", "rb").read()
    document = json.loads(payload.decode("utf-8"))
except (ValueError, RecursionError):
    report("jws form", "a header or the payload is not base64url-encoded UTF-8 JSON")
    raise SystemExit
if form == "compact":
    header, problem = headers[0], None
    if not isinstance(header, dict) or set(header) != {"alg", "kid", "typ"}:
        problem = "the protected header must have exactly the members alg, kid and typ; it has " + (", ".join(sorted(header)) if isinstance(header, dict) else "no object")
    elif header["alg"] not in ("EdDSA", "ES256") or header["typ"] != "jcc-document+jws" or not isinstance(header["kid"], str) or not header["kid"]:
        problem = "alg must be EdDSA or ES256, typ jcc-document+jws, kid a non-empty string"
    report("protected header exactly alg, kid, typ", problem)
else:  # the JSON serialization: the whole text canonical, each header exact, no kid twice
    text = open("jws.txt", encoding="utf-8", newline="").read()
    try:
        canonical = jcs(json.loads(text)) == text
    except (ValueError, RecursionError):
        canonical = False
    report("JWS JSON serialization in RFC 8785 canonical form", None if canonical else "re-canonicalised, the document text gives other bytes (nothing is trimmed)")
    kids = []
    for i, header in enumerate(headers, 1):
        problem, alg = None, header.get("alg") if isinstance(header, dict) else None
        allowed = {"alg", "kid", "typ"} | ({"sm2id"} if alg == "SM2SM3" else set())
        if not isinstance(header, dict) or not {"alg", "kid", "typ"} <= set(header) <= allowed:
            problem = "the protected header must have exactly the members alg, kid and typ (and sm2id for SM2SM3 only); it has " + (", ".join(sorted(header)) if isinstance(header, dict) else "no object")
        elif alg not in ("EdDSA", "SM2SM3") or header["typ"] != "jcc-document+jws" or not isinstance(header["kid"], str) or not header["kid"]:
            problem = "alg must be EdDSA or SM2SM3, typ jcc-document+jws, kid a non-empty string"
        elif "sm2id" in header and not (isinstance(header["sm2id"], str) and 1 <= len(header["sm2id"].encode("utf-8")) <= 8191 and "\0" not in header["sm2id"]):
            problem = "sm2id must be a string of 1 to 8191 UTF-8 bytes"
        elif header["kid"] in kids:
            problem = "kid %s signs twice" % header["kid"]
        else:
            kids.append(header["kid"])
        report("protected header %d (%s) exactly alg, kid, typ%s" % (i, alg, ", sm2id" if alg == "SM2SM3" else ""), problem)
try:
    canonical = jcs(document).encode("utf-8") == payload
except (ValueError, RecursionError):
    canonical = False
report("payload in RFC 8785 canonical form", None if canonical else "re-canonicalised, the payload gives other bytes")
utc = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z")
members = {"schema", "id", "type", "issuer", "subject", "issuedAt", "validUntil", "content"}
problem = None
if not isinstance(document, dict) or set(document) != members or document["schema"] != "jcc-document/v1":
    problem = "not a jcc-document/v1 object with exactly the members " + ", ".join(sorted(members))
elif document["type"] not in ("creditReport", "evaluation", "listEntry", "agencyFiling"):
    problem = "unknown document type"
elif not isinstance(document["issuer"], dict) or set(document["issuer"]) != {"city", "mspId"}:
    problem = "issuer must have exactly the members city and mspId"
elif document["issuer"]["city"] not in ("qingdao", "yantai", "weihai", "weifang", "rizhao"):
    problem = "issuer.city is not one of the five cities"
elif not isinstance(document["subject"], dict) or not isinstance(document["subject"].get("pseudonym"), str):
    problem = "subject has no pseudonym"
elif not all(isinstance(document[t], str) and utc.fullmatch(document[t]) for t in ("issuedAt", "validUntil")):
    problem = "issuedAt and validUntil must be RFC 3339 UTC timestamps"
report("credit document", problem)
named = all(isinstance(h, dict) and isinstance(h.get("kid"), str) and isinstance(h.get("alg"), str) for h in headers)
if problem is None and named:
    json.dump(document, open("document.json", "w"))
    city, id = document["issuer"]["city"], document["id"]
    query = lambda fn, **arg: json.dumps({"Args": [fn, json.dumps(arg)]})  # the peer CLI's -c argument
    def fields(file, values):
        with open(file, "w") as out:
            for name, value in values:
                out.write("%s=%s\n" % (name, shlex.quote(value)))
    # anchor_kid: the first signature's kid, which the single anchor names
    fields("fields.sh", [("anchor_kid", headers[0]["kid"]), ("city", city), ("id", id), ("q_city", query("cities:GetCity", city=city)),
                         ("q_document", query("reports:GetDocument", city=city, id=id))])
    for i, h in enumerate(headers, 1):  # one key look-up per signature (sm2id: GM/T 0009's default unless given)
        fields("sig-%d.sh" % i, [("alg", h["alg"]), ("kid", h["kid"]), ("sm2id", str(h.get("sm2id", "1234567812345678"))),
                                 ("q_key", query("cities:GetKey", city=city, kid=h["kid"]))])
PY
checks < decode.txt
[ -f document.json ] || verdict
. ./fields.sh
echo "document $city/$id, anchored under key $anchor_kid"

# Steps 3 and 4, once per signature: its key and the issuing city, from the ledger (key.py; times compared
# as instants), then the signature with openssl. A compact JWS has one signature, reported as "signature";
# a JSON-serialized one reports each by alg and kid ("signature SM2SM3 (<kid>)").
for i in $(seq 1 "$n"); do
  . "./sig-$i.sh"
  if [ "$form" = compact ]; then key_check="key registered to $city and valid at issue time"; sig_check=signature
  else key_check="key $kid registered to $city and valid at issue time"; sig_check="signature $alg ($kid)"; fi
  if query "$q_key" > key.json && query "$q_city" > city.json; then
    python3 - "$alg" "$key_check" > key.txt <<'PY'
import json, sys
from datetime import datetime
def instant(s):  # an RFC 3339 timestamp as a point in time (never compared as a string)
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
alg, name, key, city, doc = sys.argv[1], sys.argv[2], json.load(open("key.json")), json.load(open("city.json")), json.load(open("document.json"))
t, jwk, bad = instant(doc["issuedAt"]), key["jwk"], []
if city["mspId"] != doc["issuer"]["mspId"]:
    bad.append("the document names MSP %s, the ledger says %s is %s" % (doc["issuer"]["mspId"], city["id"], city["mspId"]))
if key["city"] != doc["issuer"]["city"] or key["use"] != "document":
    bad.append("not a document key of " + doc["issuer"]["city"])
if (jwk.get("kty"), jwk.get("crv")) != {"EdDSA": ("OKP", "Ed25519"), "ES256": ("EC", "P-256"), "SM2SM3": ("EC", "SM2")}.get(alg):
    bad.append("a %s/%s key does not suit alg %s" % (jwk.get("kty"), jwk.get("crv"), alg))
if t < instant(key["validFrom"]):
    bad.append("issued before the key became valid (%s)" % key["validFrom"])
if key.get("validTo") and t >= instant(key["validTo"]):
    bad.append("issued after the key expired (%s)" % key["validTo"])
if key.get("revokedAt") and t >= instant(key["revokedAt"]):
    bad.append("issued after the key was revoked (%s)" % key["revokedAt"])
print("%s\t%s" % (name, "; ".join(bad) or "ok"))
open("x.txt", "w").write(str(jwk.get("x", "")))
open("y.txt", "w").write(str(jwk.get("y", "")))
PY
    checks < key.txt
    # Step 4. The signature over this entry's signing input, with openssl (the public key wrapped in its
    # SPKI prefix: Ed25519's, or SM2's followed by x and y; SM2SM3 with SM3 and the distinguishing identifier).
    printf %s "$(sig_part "$i" 1).$P" > signing-input; b64u "$(sig_part "$i" 2)" > sig.bin
    case $alg in
      EdDSA) (printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; b64u "$(cat x.txt)") > pub.der; sm2=() ;;
      SM2SM3)
        { printf '\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x81\x1c\xcf\x55\x01\x82\x2d\x03\x42\x00\x04'
          b64u "$(cat x.txt)"; b64u "$(cat y.txt)"; } > pub.der
        sm2=(-digest sm3 -pkeyopt "distid:$sm2id") ;;
      *) check "$sig_check" "alg $alg: this recipe checks Ed25519 (EdDSA) and SM2SM3 signatures only"; continue ;;
    esac
    if openssl pkey -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null &&
      openssl pkeyutl -verify -pubin -inkey pub.pem -rawin "${sm2[@]}" -in signing-input -sigfile sig.bin >/dev/null 2>&1; then
      check "$sig_check" ok
    else check "$sig_check" "openssl could not verify the $alg signature"; fi
  else
    check "$key_check" "not on the ledger ($(ledger_error))"
    check "$sig_check" "no registered key to check it with"
  fi
done

# Step 5. The content hashes: SHA-256 of the document's exact text (the compact JWS's ASCII bytes, or the
# JSON serialization's canonical text), and for the JSON serialization its SM3 too (openssl dgst -sm3).
hash=$(sha256sum jws.txt | cut -d' ' -f1)
echo "content hash $hash"
hash_sm3=
if [ "$form" = json ]; then hash_sm3=$(openssl dgst -sm3 -r jws.txt | cut -d' ' -f1); echo "content hash SM3 $hash_sm3"; fi

# Step 6. The document's record on the ledger, under its issuer.city and id (NOT_FOUND: never anchored
# alone and never revoked or superseded, as for a batch document in force).
if query "$q_document" > state.json; then :
elif grep -q NOT_FOUND err.txt; then echo '{}' > state.json
else check "ledger" "could not read reports:GetDocument ($(ledger_error))"; verdict; fi

# 6a. Anchored alone (single.py): the anchor must describe this very document (kid: the first signature's;
# contentHashSm3, when the anchor has it, the SM3 of step 5); times compared as instants.
python3 - "$hash" "$anchor_kid" "$hash_sm3" > single.txt <<'PY'
import json, sys
from datetime import datetime
def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
h, kid, h_sm3, a, doc = sys.argv[1], sys.argv[2], sys.argv[3], json.load(open("state.json")).get("anchor"), json.load(open("document.json"))
if a is None:  # not anchored alone: with a proof bundle, step 7 checks the batch
    if json.load(open("proof.json")) is None:
        print("anchored (single)\tno anchor for %s/%s on the ledger (a batch document needs its proof bundle)" % (doc["issuer"]["city"], doc["id"]))
    sys.exit()
differ = [name for name, same in [
    ("content hash", a["contentHash"] == h),
    ("contentHashSm3", "contentHashSm3" not in a or a["contentHashSm3"] == h_sm3),
    ("docType", a["docType"] == doc["type"]),
    ("kid", a["kid"] == kid),
    ("issuedAt", instant(a["issuedAt"]) == instant(doc["issuedAt"])),
    ("validUntil", instant(a["validUntil"]) == instant(doc["validUntil"])),
    ("subjectPseudonym", a["subjectPseudonym"] == doc["subject"].get("pseudonym")),
] if not same]
print("anchored (single)\t" + ("the anchor of %s/%s differs from the document in: %s" % (doc["issuer"]["city"], doc["id"], ", ".join(differ)) if differ else "ok"))
PY
checks < single.txt

# Step 7. Anchored in a batch (when there is no single anchor and a proof was given).
if [ ! -s single.txt ]; then
  # 7a. The inclusion proof (proof.py): all of RFC 9162 §2.1.3.2.
  python3 - > proof.txt <<'PY'
import hashlib, json, re
p, jws = json.load(open("proof.json")), open("jws.txt").read()
H = lambda *parts: hashlib.sha256(b"".join(parts)).digest()
def result():
    hex64 = re.compile(r"[0-9a-f]{64}")
    if not isinstance(p, dict) or not all(isinstance(p.get(k), str) and hex64.fullmatch(p[k]) for k in ("leafHash", "root")):
        return "leafHash and root must be 64 lower-case hex characters"
    index, size, path = p.get("leafIndex"), p.get("treeSize"), p.get("auditPath")
    if type(index) is not int or type(size) is not int or index < 0:
        return "leafIndex and treeSize must be non-negative integers"
    if not isinstance(path, list) or not all(isinstance(x, str) and hex64.fullmatch(x) for x in path):
        return "auditPath must be a list of 64-hex-character hashes"
    if index >= size:  # step 1
        return "leafIndex %d is not below treeSize %d" % (index, size)
    r = H(b"\x00", hashlib.sha256(jws.encode("ascii")).digest())  # the leaf: SHA-256(0x00 || content hash)
    if r.hex() != p["leafHash"]:
        return "leafHash is not SHA-256(0x00 || SHA-256(jws))"
    fn, sn = index, size - 1  # step 2
    for sibling in map(bytes.fromhex, path):  # step 4
        if sn == 0:
            return "the audit path is longer than a tree of %d leaves allows" % size
        if fn % 2 == 1 or fn == sn:
            r = H(b"\x01", sibling, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = H(b"\x01", r, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 5
        return "the audit path is shorter than a tree of %d leaves needs" % size
    return "ok" if r.hex() == p["root"] else "the path leads to another root"
outcome = result()
print("Merkle inclusion proof (RFC 9162 §2.1.3.2)\t" + outcome)
if outcome == "ok":  # the batch is looked up under the document's issuer.city
    city = json.load(open("document.json"))["issuer"]["city"]
    batch = {"city": city, "batchId": p.get("batchId") or "%s.batch.%s" % (city, p["root"])}
    open("q_batch.txt", "w").write(json.dumps({"Args": ["reports:GetBatch", json.dumps(batch)]}))
PY
  checks < proof.txt
  # 7b. The batch of the issuing city (batch.py): this root, this many leaves, this issue time.
  if [ ! -f q_batch.txt ]; then
    check "anchored (batch root on the ledger)" "not checked: the proof is not valid"
  elif query "$(cat q_batch.txt)" > batch.json; then
    python3 - > batch.txt <<'PY'
import json
from datetime import datetime
def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
b, p, doc = json.load(open("batch.json")), json.load(open("proof.json")), json.load(open("document.json"))
t, bad = instant(doc["issuedAt"]), []
if b["root"] != p["root"]:
    bad.append("the ledger has another root")
if b["leafCount"] != p["treeSize"]:
    bad.append("the ledger says %d leaves, the proof %d" % (b["leafCount"], p["treeSize"]))
if b["leafScheme"] != "rfc9162-sha256/v1":
    bad.append("leaf scheme " + b["leafScheme"])
if not instant(b["firstIssuedAt"]) <= t <= instant(b["lastIssuedAt"]):
    bad.append("issuedAt %s lies outside the batch's [%s, %s]" % (doc["issuedAt"], b["firstIssuedAt"], b["lastIssuedAt"]))
print("anchored (batch root on the ledger)\t" + ("; ".join(bad) or "ok"))
PY
    checks < batch.txt
  else
    check "anchored (batch root on the ledger)" "not on the ledger ($(ledger_error))"
  fi
fi

# Steps 8 and 9 (status.py): status in force; times as instants: issued no later than now (5 minutes
# of clock skew allowed), valid until after now.
python3 - > status.txt <<'PY'
import json
from datetime import datetime, timedelta, timezone
def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
doc, state, now = json.load(open("document.json")), json.load(open("state.json")), datetime.now(timezone.utc)
status = (state.get("status") or {}).get("status", "active")
print("status in force\t" + ("ok" if status == "active" else status))
future = instant(doc["issuedAt"]) > now + timedelta(minutes=5)
print("not issued in the future\t" + ("issuedAt %s is later than now (%s)" % (doc["issuedAt"], now.isoformat()) if future else "ok"))
print("not expired\t" + ("ok" if instant(doc["validUntil"]) > now else "expired at " + doc["validUntil"]))
PY
checks < status.txt

verdict
