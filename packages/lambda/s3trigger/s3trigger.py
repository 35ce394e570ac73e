"""lava s3trigger Lambda: turn an S3 object event into job dispatches.

Triggers live in the realm's DynamoDB table lava-<realm>-s3triggers: bucket, a key prefix,
and the job to dispatch. Lookups are cached for the life of the Lambda container.
"""

import fnmatch
import json
import os

import boto3
from cachetools import TTLCache, cached

from s3event import records

REALM = os.environ.get('LAVA_REALM', 'prod')


@cached(TTLCache(maxsize=64, ttl=60))
def triggers_for(bucket):
    table = boto3.resource('dynamodb').Table(f'lava-{REALM}-s3triggers')
    items = table.query(KeyConditionExpression=boto3.dynamodb.conditions.Key('bucket').eq(bucket))['Items']
    return tuple((item['pattern'], item['worker'], item['job_id']) for item in items)


def matches(key, pattern):
    return fnmatch.fnmatchcase(key, pattern)


def dispatch_events(event, lookup=triggers_for):
    for bucket, key, size in records(event):
        for pattern, worker, job_id in lookup(bucket):
            if matches(key, pattern):
                yield {
                    'realm': REALM,
                    'worker': worker,
                    'job_id': job_id,
                    'globals': {'s3_bucket': bucket, 's3_key': key, 's3_size': size},
                }


def lambda_handler(event, context):
    client = boto3.client('lambda')
    sent = 0
    for dispatch in dispatch_events(event):
        client.invoke(FunctionName=f'lava-{REALM}-dispatch', InvocationType='Event', Payload=json.dumps(dispatch).encode())
        sent += 1
    return {'dispatched': sent}
