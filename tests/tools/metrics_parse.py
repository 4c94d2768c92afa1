"""Reads /metrics (OpenMetrics text, on stdin) with the Prometheus client's
own parser, as a scraper would, and prints every sample as JSON:
[{"name": ..., "labels": {...}, "value": ...}]. Exits non-zero on text the
parser refuses."""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        samples.append({"family": family.name, "type": family.type, "name": sample.name,
                        "labels": sample.labels, "value": sample.value})
json.dump(samples, sys.stdout)
