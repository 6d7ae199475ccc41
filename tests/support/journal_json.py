"""Reading `flowrt journal dump --json` in the Python tests."""


def flatten_decisions(records):
    """A `decisions` record (all conditional subscriptions of one event) read
    as one `decision` record per subscription, in order, as the tests ask."""
    flat = []
    for r in records:
        if r["kind"] != "decisions":
            flat.append(r)
            continue
        for d in r["decisions"]:
            flat.append({"seq": r["seq"], "kind": "decision", "event": r["event"], **d})
    return flat


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def masked_record_crc(record_type, payload):
    """The CRC32C a journal frame stores for (type, payload), masked as in
    runtime/journal/crc32c.h: for tests that write well-framed records whose
    payloads are wrong."""
    crc = 0xFFFFFFFF
    for b in bytes([record_type]) + payload:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
