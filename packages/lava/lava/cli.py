"""The lava command line: ``lava --version``, ``lava --check`` and job runs."""

import argparse
import importlib
import json
import re
import sys
from importlib import metadata
from pathlib import Path

from . import handlers
from .version import version

# A bundle keeps its requirement files beside lava/ (see install.sh).
BUNDLE_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = ('requirements.txt', 'requirements-extra.txt')
_NAME = re.compile(r'^\s*([A-Za-z0-9][A-Za-z0-9._-]*)')


def pinned_names(files):
    names = []
    for file in files:
        for line in Path(file).read_text(encoding='utf-8').splitlines():
            line = line.split('#', 1)[0].strip()
            if not line or line.startswith('-'):
                continue
            if ';' in line and not _marker_holds(line.split(';', 1)[1]):
                continue
            match = _NAME.match(line)
            if match:
                names.append(match.group(1))
    return names


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker
    except ImportError:
        return True
    return Marker(marker).evaluate()


def top_level_modules(distribution_name: str):
    """The importable names a distribution provides (top_level.txt, else its own name)."""
    dist = metadata.distribution(distribution_name)
    listed = (dist.read_text('top_level.txt') or '').split()
    public = [name for name in listed if not name.startswith('_')]
    return public or [re.sub(r'[-.]+', '_', dist.metadata['Name']).lower()]


def check(files) -> int:
    failed = 0
    for name in pinned_names(files):
        try:
            modules = top_level_modules(name)
            for module in modules:
                importlib.import_module(module)
            print(f'ok   {name} {metadata.version(name)} ({", ".join(modules)})')
        except Exception as error:  # report every failure, not just the first
            failed += 1
            print(f'FAIL {name}: {type(error).__name__}: {error}')
    return 1 if failed else 0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog='lava', description='lava worker')
    parser.add_argument('--version', action='store_true', help='print the version and exit')
    parser.add_argument(
        '--check',
        nargs='*',
        metavar='REQUIREMENTS',
        help='import every package pinned in these requirement files (default: the bundle\'s own)',
    )
    parser.add_argument('--run', metavar='JOB_JSON', help='run one job definition (JSON file)')
    args = parser.parse_args(argv)
    if args.version:
        print(f'lava {version(all_parts=True)}')
        return
    if args.check is not None:
        files = args.check or [BUNDLE_ROOT / f for f in REQUIREMENT_FILES if (BUNDLE_ROOT / f).exists()]
        sys.exit(check(files))
    if args.run:
        job = json.loads(Path(args.run).read_text(encoding='utf-8'))
        print(json.dumps(handlers.handler_for(job['type']).run(job, {}), indent=2))
        return
    parser.print_help()


if __name__ == '__main__':
    main()
