"""The code the {{ cookiecutter.project_name }} job runs."""

import json
import sys

JOB_ID = '{{ cookiecutter.project_name }}'


def run(parameters: dict) -> dict:
    """Does the job's work and returns what lava records as its result."""
    return {'job_id': JOB_ID, 'parameters': parameters, 'status': 'ok'}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parameters = json.loads(argv[0]) if argv else {}
    print(json.dumps(run(parameters)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
