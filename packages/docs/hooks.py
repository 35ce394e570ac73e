"""mkdocs hook of the lava user guide: what nx passes in.

LAVA_DOCS_VERSION    the lava version, "8.2.0 (Kilauea)", shown in every page's footer.
LAVA_DOCS_GENERATED  a directory of pages made at build time from the built
                     CloudFormation templates; each file joins the site at its
                     path relative to that directory.
"""

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

RUN = 'npx nx run docs:build (or docs:preview)'


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise PluginError(f'{name} is not set: the lava guide is built through nx; run: {RUN}')
    return value


def on_config(config):
    version = _env('LAVA_DOCS_VERSION')
    config.copyright = f'lava {version}'
    config.extra['lava_version'] = version
    return config


def on_files(files, config):
    root = Path(_env('LAVA_DOCS_GENERATED'))
    # Sorted by code point (= UTF-8 byte order), never by locale.
    for path in sorted(p for p in root.rglob('*') if p.is_file()):
        uri = path.relative_to(root).as_posix()
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f'{uri} is generated from the built templates but also exists in {config.docs_dir}; delete the source copy')
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
