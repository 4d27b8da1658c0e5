#!/usr/bin/env python3
"""Writes an Openswan-style `: RSA { ... }` ipsec.secrets entry from a PEM RSA key (via openssl).

Usage: make-rsa-block.py KEY.pem INDEX...   (prints to stdout)
The layout follows ipsec_rsasigkey(8)/newhostkey output: a comment line with the size, #pubkey=,
then the eight BIND 8.2 fields in 0s (base64) form, indented, closed by '}'.
"""
import base64, re, subprocess, sys

def fields(pem):
    text = subprocess.run(["openssl", "rsa", "-in", pem, "-noout", "-text"],
                          capture_output=True, text=True, check=True).stdout
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            name, rest = m.group(1), m.group(2)
            if name == "publicExponent":
                out[name] = int(rest.split()[0])
                name = None
            else:
                out[name] = ""
        elif name and line.startswith(" "):
            out[name] += line.strip().replace(":", "")
    return {k: (v if isinstance(v, int) else int(v, 16)) for k, v in out.items() if k != "Private-Key"}

def b64(n):
    return "0s" + base64.b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).decode()

f = fields(sys.argv[1])
e = f["publicExponent"]
ebytes = e.to_bytes((e.bit_length() + 7) // 8, "big")
blob = bytes([len(ebytes)]) + ebytes + f["modulus"].to_bytes((f["modulus"].bit_length() + 7) // 8, "big")
print(" ".join(sys.argv[2:]) + " : RSA {")
print("\t# RSA %d bits   west.example.com   Thu Jan  1 00:00:00 2026" % f["modulus"].bit_length())
print("\t# for signatures only, UNSAFE FOR ENCRYPTION")
print("\t#pubkey=0s" + base64.b64encode(blob).decode())
print("\t#IN KEY 0x4200 4 1 " + base64.b64encode(blob).decode()[:40] + "...")
for label, key in [("Modulus", "modulus"), ("PublicExponent", "publicExponent"),
                   ("PrivateExponent", "privateExponent"), ("Prime1", "prime1"), ("Prime2", "prime2"),
                   ("Exponent1", "exponent1"), ("Exponent2", "exponent2"), ("Coefficient", "coefficient")]:
    print("\t%s: %s" % (label, b64(f[key])))
print("\t}")
