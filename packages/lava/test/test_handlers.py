"""The job handlers: lookup by type, sql rendering, cmd running without a shell."""

import sys

import jinja2
import pytest

from lava.handlers import handler_for


def test_unknown_job_type_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown job type 'nope'; known: cmd, sql"):
        handler_for('nope')


def test_sql_renders_parameters_and_context():
    job = {'payload': {'sql': 'SELECT * FROM {{ table }} WHERE day = {{ day }}'}, 'parameters': {'table': 't1'}}
    assert handler_for('sql').run(job, {'day': "'2026-11-30'"}) == {
        'exit_status': 0,
        'sql': "SELECT * FROM t1 WHERE day = '2026-11-30'",
    }


def test_sql_refuses_an_undefined_name():
    with pytest.raises(jinja2.UndefinedError):
        handler_for('sql').render({'payload': {'sql': '{{ missing }}'}}, {})


def test_cmd_runs_the_program_with_its_arguments_and_no_shell():
    job = {'payload': {'command': sys.executable, 'args': ['-c', 'import sys; print(sys.argv[1:])', '$HOME', 'a b']}}
    result = handler_for('cmd').run(job, {})
    assert result == {'exit_status': 0, 'stdout': "['$HOME', 'a b']\n", 'stderr': ''}
