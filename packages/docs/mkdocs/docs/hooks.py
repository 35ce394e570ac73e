"""mkdocs hook of the lava user guide.

The build passes what the pages show through the environment, as lava's make
build did: `md_footer_rhs` is the text at the right of every page's footer
("v8.2.0 (Kilauea)"). The templates read it as config.extra.environment.<name>.
"""

import os


def on_config(config, **kwargs):
    config.extra['environment'] = dict(os.environ)
    return config
