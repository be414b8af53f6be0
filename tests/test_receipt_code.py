"""A receipt code is the first 40 bits of the entry's hash in Crockford base32, 5 bits a
character (the table of character pairs `receipt_code` uses must give exactly that)."""

from __future__ import annotations

import hashlib

from deliberate.services import audit


def bit_by_bit(entry_hash_hex: str) -> str:
    value = int(entry_hash_hex[:10], 16)
    chars = "".join(
        "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(value >> s) & 31] for s in range(35, -1, -5)
    )
    return f"{chars[:4]}-{chars[4:]}"


def test_receipt_code_is_the_hash_in_crockford_base32() -> None:
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(20_000)]
    hashes += ["0" * 64, "f" * 64, "8000000000" + "0" * 54, "00000003ff" + "0" * 54]
    for h in hashes:
        assert audit.receipt_code(h) == bit_by_bit(h), h
