#!/usr/bin/env python3
"""The lava version, read from VERSION.json beside this file (its single source)."""

import argparse
import json
from pathlib import Path

_VERSION_FILE = Path(__file__).resolve().parent / 'VERSION.json'


def _read() -> dict:
    with open(_VERSION_FILE, encoding='utf-8') as f:
        return json.load(f)


def _normalise(num: str) -> str:
    try:
        from packaging.version import Version
    except ImportError:  # run from a bare checkout with no packaging installed
        return num
    return str(Version(num))


_data = _read()
__version__ = _normalise(_data['__version_num__'])
__version_name__ = _data['__version_name__']


def version(all_parts: bool = False, name_only: bool = False) -> str:
    if name_only:
        return __version_name__
    if all_parts:
        return f'{__version__} ({__version_name__})'
    return __version__


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='Print the lava version.')
    group = parser.add_mutually_exclusive_group()
    group.add_argument('-a', '--all', action='store_true', help='number and name: 8.2.0 (Kilauea)')
    group.add_argument('-n', '--name', action='store_true', help='the version name only')
    args = parser.parse_args(argv)
    print(version(all_parts=args.all, name_only=args.name))


if __name__ == '__main__':
    main()
