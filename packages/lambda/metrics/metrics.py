"""lava metrics Lambda: publish each worker's queue depth and age to CloudWatch.

Runs on a schedule; the workers are the realm's queues named lava-<realm>-<worker>.
"""

import os

import boto3
from cachetools import TTLCache, cached

REALM = os.environ.get('LAVA_REALM', 'prod')
NAMESPACE = 'Lava'


@cached(TTLCache(maxsize=1, ttl=300))
def worker_queues(sqs):
    prefix = f'lava-{REALM}-'
    urls = sqs.list_queues(QueueNamePrefix=prefix).get('QueueUrls', [])
    return tuple((url.rsplit('/', 1)[1][len(prefix):], url) for url in urls)


def datapoints(sqs):
    for worker, url in worker_queues(sqs):
        attrs = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']
        )['Attributes']
        dims = [{'Name': 'Realm', 'Value': REALM}, {'Name': 'Worker', 'Value': worker}]
        yield {'MetricName': 'QueuedJobs', 'Dimensions': dims, 'Value': int(attrs['ApproximateNumberOfMessages']), 'Unit': 'Count'}
        yield {'MetricName': 'RunningJobs', 'Dimensions': dims, 'Value': int(attrs['ApproximateNumberOfMessagesNotVisible']), 'Unit': 'Count'}


def publish(points, cloudwatch):
    points = list(points)
    for start in range(0, len(points), 20):  # PutMetricData takes at most 20 per call
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=points[start:start + 20])
    return len(points)


def lambda_handler(event, context):
    region = os.environ.get('AWS_REGION')
    sent = publish(datapoints(boto3.client('sqs', region_name=region)), boto3.client('cloudwatch', region_name=region))
    return {'published': sent}
