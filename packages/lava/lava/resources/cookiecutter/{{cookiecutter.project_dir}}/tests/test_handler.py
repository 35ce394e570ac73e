from pathlib import Path

import yaml

from {{ cookiecutter.module_name }} import handler

JOB = Path(__file__).resolve().parent.parent / 'jobs' / '{{ cookiecutter.project_name }}.yaml'


def test_run_reports_its_job_and_parameters():
    assert handler.run({'table': 'events'}) == {
        'job_id': '{{ cookiecutter.project_name }}',
        'parameters': {'table': 'events'},
        'status': 'ok',
    }


def test_job_definition_names_this_job():
    job = yaml.safe_load(JOB.read_text())
    assert job['job_id'] == handler.JOB_ID
    assert job['type'] in ('cmd', 'sql')
