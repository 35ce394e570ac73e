"""jinlava: the lava worker package as a standard sdist (importable as ``lava``)."""

import json
import os
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent


def requirements(name):
    lines = (HERE / name).read_text(encoding='utf-8').splitlines()
    return [line.split('#', 1)[0].strip() for line in lines if line.split('#', 1)[0].strip()]


def scripts():
    found = []
    for path in sorted((HERE / 'bin').iterdir()):
        if path.is_file() and not path.is_symlink() and os.access(path, os.X_OK):
            with open(path, 'rb') as f:
                if f.read(2) == b'#!':
                    found.append(f'bin/{path.name}')
    return found


version = json.loads((HERE / 'lava' / 'VERSION.json').read_text(encoding='utf-8'))

setup(
    name='jinlava',
    version=version['__version_num__'],
    description='lava, an AWS job scheduler: the worker package',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='BSD-3-Clause',
    python_requires='>=3.11',
    packages=find_packages(include=['lava', 'lava.*']),
    package_data={'lava': ['VERSION.json', 'schema/*.yaml']},
    include_package_data=True,
    install_requires=requirements('requirements.txt'),
    extras_require={'extras': requirements('requirements-extra.txt')},
    scripts=scripts(),
    entry_points={'console_scripts': ['lava=lava.cli:main']},
)
