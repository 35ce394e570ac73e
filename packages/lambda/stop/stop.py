"""lava stop Lambda: stop a worker, gracefully.

Event: {"realm": "prod", "worker": "core", "drain": true}
Sets the worker's auto scaling group to zero (after its queue drains, when asked), so
running jobs finish and no new instance starts.
"""

import os

import boto3


def group_name(realm, worker):
    return f'lava-{realm}-{worker}'


def queue_depth(sqs, realm, worker):
    url = sqs.get_queue_url(QueueName=f'lava-{realm}-{worker}')['QueueUrl']
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages'])['Attributes']
    return int(attrs['ApproximateNumberOfMessages'])


def stop(event, autoscaling=None, sqs=None):
    region = os.environ.get('AWS_REGION')
    autoscaling = autoscaling or boto3.client('autoscaling', region_name=region)
    realm, worker = event['realm'], event['worker']
    if event.get('drain'):
        depth = queue_depth(sqs or boto3.client('sqs', region_name=region), realm, worker)
        if depth:
            return {'stopped': False, 'reason': f'{depth} messages still queued'}
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group_name(realm, worker), MinSize=0, DesiredCapacity=0)
    return {'stopped': True}


def lambda_handler(event, context):
    return stop(event)
