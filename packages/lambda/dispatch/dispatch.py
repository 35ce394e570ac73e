"""lava dispatch Lambda: send a job to the worker queue of its realm.

Event: {"realm": "prod", "worker": "core", "job_id": "daily-load", "globals": {...}, "delay": 0}
The message is the job id plus its globals rendered with Jinja2 (so a caller can pass
"{{ ts }}"-style values), sent to the SQS queue lava-<realm>-<worker>.
"""

import json
import os
import time
import uuid

import boto3
import jinja2

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
MAX_DELAY = 900  # SQS's limit, in seconds


def queue_name(realm, worker):
    return f'lava-{realm}-{worker}'


def render_globals(values, context):
    return {k: _ENV.from_string(v).render(**context) if isinstance(v, str) else v for k, v in values.items()}


def build_message(event, now=None):
    for key in ('realm', 'worker', 'job_id'):
        if not event.get(key):
            raise ValueError(f'dispatch event needs "{key}"')
    now = time.time() if now is None else now
    context = {'ts': int(now), 'realm': event['realm'], 'job_id': event['job_id']}
    return {
        'run_id': str(uuid.uuid4()),
        'job_id': event['job_id'],
        'globals': render_globals(event.get('globals') or {}, context),
        'dispatched_at': int(now),
    }


def dispatch(event, sqs=None):
    sqs = sqs or boto3.client('sqs', region_name=os.environ.get('AWS_REGION'))
    url = sqs.get_queue_url(QueueName=queue_name(event['realm'], event['worker']))['QueueUrl']
    message = build_message(event)
    delay = max(0, min(int(event.get('delay', 0)), MAX_DELAY))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(message, sort_keys=True), DelaySeconds=delay)
    return message


def lambda_handler(event, context):
    message = dispatch(event)
    return {'run_id': message['run_id'], 'job_id': message['job_id']}
