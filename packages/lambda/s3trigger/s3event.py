"""Reading S3 event notifications (direct, or wrapped by SNS/SQS/EventBridge)."""

import json
from urllib.parse import unquote_plus


def records(event):
    """Yield (bucket, key, size) for every object in an S3 event, whatever wrapped it."""
    if 'detail' in event and event.get('source') == 'aws.s3':
        detail = event['detail']
        yield detail['bucket']['name'], detail['object']['key'], detail['object'].get('size', 0)
        return
    for record in event.get('Records', []):
        if 'Sns' in record:
            yield from records(json.loads(record['Sns']['Message']))
        elif 'body' in record:
            yield from records(json.loads(record['body']))
        elif 's3' in record:
            s3 = record['s3']
            yield s3['bucket']['name'], unquote_plus(s3['object']['key']), s3['object'].get('size', 0)
