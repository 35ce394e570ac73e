"""The ``sql`` job type: renders a Jinja2 SQL template with the job's parameters."""

import jinja2


def render(job: dict, context: dict) -> str:
    template = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined).from_string(job['payload']['sql'])
    return template.render(**job.get('parameters', {}), **context)


def run(job: dict, context: dict) -> dict:
    return {'exit_status': 0, 'sql': render(job, context)}
