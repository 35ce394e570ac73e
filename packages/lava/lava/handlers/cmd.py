"""The ``cmd`` job type: runs a program with its arguments, no shell."""

import subprocess


def run(job: dict, context: dict) -> dict:
    args = [job['payload']['command'], *job['payload'].get('args', [])]
    result = subprocess.run(args, capture_output=True, text=True, timeout=job.get('timeout'), check=False)
    return {'exit_status': result.returncode, 'stdout': result.stdout, 'stderr': result.stderr}
