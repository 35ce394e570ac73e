"""lava.version: the number, the name and the command line, from VERSION.json."""

import json
from pathlib import Path

import pytest

from lava import version

VERSION_FILE = Path(__file__).resolve().parent.parent / 'lava' / 'VERSION.json'


def test_number_and_name_come_from_version_json():
    data = json.loads(VERSION_FILE.read_text(encoding='utf-8'))
    assert version.version() == data['__version_num__']
    assert version.version(name_only=True) == data['__version_name__']
    assert version.version(all_parts=True) == f"{data['__version_num__']} ({data['__version_name__']})"


@pytest.mark.parametrize(('argv', 'suffix'), [([], ''), (['-a'], ' ('), (['-n'], None)])
def test_command_line(capsys, argv, suffix):
    version.main(argv)
    out = capsys.readouterr().out.strip()
    if suffix is None:
        assert out == version.__version_name__
    else:
        assert out.startswith(version.__version__ + suffix)
