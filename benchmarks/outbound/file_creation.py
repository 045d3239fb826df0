#!/usr/bin/env python3
"""The floor under writing one file per document: creating N small files the way the outbox does
(a temporary name, the bytes, a rename), in a fresh folder, and again right after deleting as many
files beside it.

On ext4 without a journal (this machine's) the kernel skips every inode freed in the last minute
or more when it looks for one to give a new file, checking each; so creating files next to recent
deletions costs far more than creating them elsewhere. A hub whose partners fetch and delete their
files all day pays some of that; the outbound benchmark sets earlier worlds aside rather than
deleting them right before a run.

    benchmarks/outbound/file_creation.py [--files 10000] [--work /var/tmp/omnihub-file-creation]
"""
import argparse
import os
import shutil
import time


def create(folder, files, size=4000):
    """Seconds to create `files` files of `size` bytes in `folder`, each written and renamed."""
    os.makedirs(folder)
    payload = b"x" * size
    started = time.perf_counter()
    for n in range(files):
        temporary = os.path.join(folder, f".{n}.xml.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(descriptor, payload)
        os.close(descriptor)
        os.rename(temporary, os.path.join(folder, f"{n}.xml"))
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--work", default="/var/tmp/omnihub-file-creation")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    fresh = create(os.path.join(args.work, "fresh"), args.files)
    shutil.rmtree(os.path.join(args.work, "fresh"))
    after = create(os.path.join(args.work, "after-deleting"), args.files)
    shutil.rmtree(args.work)
    print(f"{args.files} files: {fresh:.2f} s in a fresh folder ({1e6 * fresh / args.files:.0f} µs each), "
          f"{after:.2f} s right after deleting as many beside it ({1e6 * after / args.files:.0f} µs each, "
          f"{after / fresh:.1f}×)")


if __name__ == "__main__":
    main()
