"""Job handlers: one module per job type, each exposing ``run(job, context)``."""

from importlib import import_module

HANDLERS = ('cmd', 'sql')


def handler_for(job_type: str):
    if job_type not in HANDLERS:
        raise ValueError(f'unknown job type {job_type!r}; known: {", ".join(HANDLERS)}')
    return import_module(f'{__name__}.{job_type}')
