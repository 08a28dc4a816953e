"""The finished tasks in a riskstep out directory's record logs (DIR/logs/*.log), read the way the
engine reads them (pipeline/store/record_log.h): frames whose sha256 fails or that are torn are
skipped, and the scan goes on at the next frame magic. For polling while a sweep runs; the
authoritative count is `riskstep sweep SPEC --out DIR --dry-run`.

usage: count_records.py DIR           the number of distinct task ids with a valid record
       count_records.py DIR --list    one line per valid task frame:
                                      ID SEED STATUS(ok|failed) LOG FRAME_OFFSET BODY_OFFSET BODY_LENGTH
"""
import glob
import hashlib
import os
import struct
import sys

MAGIC = b"RSKREC1\n"
HEADER = len(MAGIC) + 8 + 32  # magic, u64 LE body length, sha256 of the body


def frames(path):
    """Yields (frame_offset, body_offset, body) for each valid frame of one log."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while True:
        pos = data.find(MAGIC, pos)
        if pos < 0 or pos + HEADER > len(data):
            return
        (length,) = struct.unpack_from("<Q", data, pos + len(MAGIC))
        digest = data[pos + len(MAGIC) + 8:pos + HEADER]
        body = data[pos + HEADER:pos + HEADER + length]
        if len(body) == length and hashlib.sha256(body).digest() == digest:
            yield pos, pos + HEADER, body
            pos += HEADER + length
        else:
            pos += 1  # damaged or torn: resynchronise at the next magic


def task_records(out_dir):
    """Yields (id, seed, status, log, frame_offset, body_offset, body_length) per valid task frame."""
    for log in sorted(glob.glob(os.path.join(out_dir, "logs", "*.log"))):
        for frame_offset, body_offset, body in frames(log):
            if len(body) < 12 or body[0] != 0:  # 1 is the run's metadata frame
                continue
            status, seed = struct.unpack_from("<BQ", body, 1)
            (id_length,) = struct.unpack_from("<H", body, 10)
            task_id = body[12:12 + id_length].decode()
            yield (task_id, seed, "ok" if status == 0 else "failed", log, frame_offset,
                   body_offset, len(body))


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--list"):
        sys.exit(__doc__)
    records = list(task_records(sys.argv[1])) if os.path.isdir(sys.argv[1]) else []
    if len(sys.argv) == 3:
        for record in records:
            print(*record)
    else:
        print(len({record[0] for record in records}))


if __name__ == "__main__":
    main()
