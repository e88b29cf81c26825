#!/usr/bin/env python3
"""Set a bucket's lifecycle rules only when they differ (prints CHANGED/UNCHANGED).

Usage: s3-lifecycle.py ENDPOINT BUCKET RULES_JSON  (keys from AWS_* env vars)
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, bucket, rules_file = sys.argv[1:4]
with open(rules_file, encoding="utf-8") as fh:
    wanted = json.load(fh)
s3 = boto3.client("s3", endpoint_url=endpoint)
try:
    current = s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
except ClientError as err:
    if err.response["Error"]["Code"] != "NoSuchLifecycleConfiguration":
        raise
    current = []


def normalise(rules):
    return sorted(json.dumps(r, sort_keys=True) for r in rules)


if normalise(current) == normalise(wanted["Rules"]):
    print("UNCHANGED")
else:
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=wanted)
    print("CHANGED")
