"""{{ cookiecutter.job_name }}: {{ cookiecutter.description }}."""
