"""Refuses a job project whose name or owner would make a broken lava job."""

import re
import sys

project_name = '{{ cookiecutter.project_name }}'
owner = '{{ cookiecutter.owner }}'

problems = []
if not re.fullmatch(r'[a-z][a-z0-9-]*', project_name):
    problems.append(f'project_name "{project_name}" must be lower-case letters, digits and "-", starting with a letter')
if not owner.strip():
    problems.append('owner must be given: lava records who owns each job')

for problem in problems:
    print(f'ERROR: {problem}', file=sys.stderr)
sys.exit(1 if problems else 0)
