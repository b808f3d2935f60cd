"""Checks that moto_server_fast's get_metric_data returns what moto 5.2.5's own does.

Usage: .venv/bin/python scripts/moto/check_fast_get_metric_data.py [--cases N] [--seed S]
Run by test/integration/motoFast.test.ts. Exits 0 when every case matches, 1 otherwise.

Random datapoints (single values, Values/Counts, StatisticValues, several namespaces, metric
names, dimensions and units; timestamps on and off period boundaries, with microseconds, on the
window's edges and outside it) go into one CloudWatchBackend; random queries (every statistic,
both ScanBy orders, windows not aligned to periods, with and without dimensions and unit, labels,
ReturnData false, metric math, a Metrics Insights query, invalid windows) are answered by the
original method and by the patched one on that backend, and the results must be identical: same
values (exact floats, same types), same timestamps, same order, or the same exception.
Then the same comparison through the AWS API: boto3 against moto's in-process mock, with
PutMetricData and GetMetricData requests, once with each implementation installed.
"""

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # no __pycache__ in scripts/moto
sys.path.insert(0, str(Path(__file__).resolve().parent))

import moto_server_fast  # noqa: E402
from moto.cloudwatch.models import CloudWatchBackend  # noqa: E402

ORIGINAL = moto_server_fast.original_get_metric_data
FAST = moto_server_fast.fast_get_metric_data

STATS = ["Sum", "Average", "SampleCount", "Minimum", "Maximum"]
NAMESPACES = ["AWS/EC2", "Prescale", "Other"]
NAMES = ["CPUUtilization", "RequestCount", "Load"]
DIMENSION_SETS: list[list[dict[str, str]]] = [
    [],
    [{"Name": "AutoScalingGroupName", "Value": "asg-a"}],
    [{"Name": "AutoScalingGroupName", "Value": "asg-b"}],
    [{"Name": "InstanceId", "Value": "i-1"}],
    [{"Name": "AutoScalingGroupName", "Value": "asg-a"}, {"Name": "InstanceId", "Value": "i-1"}],
    [{"Name": "InstanceId", "Value": "i-1"}, {"Name": "AutoScalingGroupName", "Value": "asg-a"}],
]
UNITS = [None, None, "Percent", "Count"]
PERIODS = [1, 7, 60, 300, 301, 3600, 86400]
BASE = datetime(2024, 3, 1, 0, 0, 0)


def random_timestamp(rng: random.Random) -> datetime:
    """Within about two days of BASE: on whole minutes, whole seconds or with microseconds."""
    kind = rng.random()
    seconds = rng.randrange(-3600, 2 * 86400)
    if kind < 0.4:
        return BASE + timedelta(minutes=seconds // 60)
    if kind < 0.7:
        return BASE + timedelta(seconds=seconds)
    return BASE + timedelta(seconds=seconds, microseconds=rng.randrange(1, 1_000_000))


def random_value(rng: random.Random) -> float:
    return rng.choice([0.0, 1.0, 100.0, rng.uniform(-5, 100), rng.random() * 1e-3, 1e12 + rng.random()])


def random_metric_data(rng: random.Random, timestamps: list[datetime]) -> dict[str, Any]:
    datum: dict[str, Any] = {
        "MetricName": rng.choice(NAMES),
        "Dimensions": rng.choice(DIMENSION_SETS),
    }
    unit = rng.choice(UNITS)
    if unit is not None:
        datum["Unit"] = unit
    # Timestamps from a shared pool, so that several datapoints fall on the same instants.
    datum["Timestamp"] = rng.choice(timestamps) if rng.random() < 0.5 else random_timestamp(rng)
    kind = rng.random()
    if kind < 0.5:
        datum["Value"] = random_value(rng)
    elif kind < 0.75:
        n = rng.randrange(1, 4)
        datum["Values"] = [random_value(rng) for _ in range(n)]
        if rng.random() < 0.7:
            datum["Counts"] = [float(rng.randrange(0, 3)) for _ in range(n)]
    else:
        low, high = sorted([random_value(rng), random_value(rng)])
        datum["StatisticValues"] = {
            "SampleCount": float(rng.choice([0, 1, 3, 60])),
            "Sum": rng.uniform(0, 1000),
            "Minimum": low,
            "Maximum": high,
        }
    return datum


def fill_backend(backend: CloudWatchBackend, rng: random.Random, batches: int) -> list[datetime]:
    timestamps = [random_timestamp(rng) for _ in range(40)]
    for _ in range(batches):
        batch = [random_metric_data(rng, timestamps) for _ in range(rng.randrange(1, 20))]
        backend.put_metric_data(rng.choice(NAMESPACES), batch)
    return timestamps


def random_window(rng: random.Random, timestamps: list[datetime], period: int) -> tuple[datetime, datetime]:
    kind = rng.random()
    if kind < 0.05:  # invalid: equal after truncation to whole seconds, or reversed
        start = random_timestamp(rng)
        end = start.replace(microsecond=rng.randrange(0, 1_000_000))
        return (start, end) if rng.random() < 0.5 else (end + timedelta(seconds=5), start)
    # Start on a stored timestamp (so datapoints sit on period boundaries) or anywhere.
    start = rng.choice(timestamps) if kind < 0.4 else random_timestamp(rng)
    periods = rng.randrange(1, 120)
    end = start + timedelta(seconds=period * periods + rng.choice([0, 0, 1, -1, rng.randrange(0, period)]))
    if rng.random() < 0.3:
        end += timedelta(microseconds=rng.randrange(0, 1_000_000))
    if end <= start:
        end = start + timedelta(seconds=period)
    return start, end


def random_query(rng: random.Random, query_id: str, period: int) -> dict[str, Any]:
    metric: dict[str, Any] = {"Namespace": rng.choice(NAMESPACES), "MetricName": rng.choice(NAMES)}
    dimensions = rng.choice(DIMENSION_SETS)
    if dimensions:
        metric["Dimensions"] = dimensions
    stat: dict[str, Any] = {"Metric": metric, "Period": period, "Stat": rng.choice(STATS)}
    unit = rng.choice(UNITS)
    if unit is not None:
        stat["Unit"] = unit
    query: dict[str, Any] = {"Id": query_id, "MetricStat": stat}
    if rng.random() < 0.2:
        query["Label"] = f"label {query_id}"
    if rng.random() < 0.2:
        query["ReturnData"] = False
    return query


def random_queries(rng: random.Random, period: int) -> list[dict[str, Any]]:
    queries = [random_query(rng, f"q{i}", period) for i in range(rng.randrange(1, 4))]
    if rng.random() < 0.2:
        queries.append({"Id": "e1", "Expression": f"{queries[0]['Id']} * 2"})
    if len(queries) > 1 and rng.random() < 0.2:
        queries.append({"Id": "e2", "Expression": f"{queries[0]['Id']} + {queries[1]['Id']}", "Label": "sum"})
    if rng.random() < 0.03:
        queries.append({"Id": "i1", "Expression": 'SELECT SUM(CPUUtilization) FROM "AWS/EC2"', "Period": period})
    return queries


def outcome(method: Any, backend: CloudWatchBackend, queries: list[dict[str, Any]], start: datetime,
            end: datetime, scan_by: str) -> str:
    """repr of the result (exact floats, types, datetimes, order) or of the exception raised."""
    try:
        return repr(method(backend, queries=queries, start_time=start, end_time=end, scan_by=scan_by))
    except Exception as error:  # noqa: BLE001 - the same exception is part of the contract
        return f"raised {type(error).__name__}: {error}"


def check_backend(rng: random.Random, cases: int) -> tuple[int, int, list[str]]:
    backend = CloudWatchBackend("us-east-1", "123456789012")
    timestamps = fill_backend(backend, rng, batches=150)
    failures: list[str] = []
    non_empty = 0
    for case in range(cases):
        period = rng.choice(PERIODS)
        start, end = random_window(rng, timestamps, period)
        queries = random_queries(rng, period)
        for scan_by in ("TimestampAscending", "TimestampDescending"):
            expected = outcome(ORIGINAL, backend, queries, start, end, scan_by)
            actual = outcome(FAST, backend, queries, start, end, scan_by)
            if "'values': [" in expected and "'values': []" not in expected:
                non_empty += 1
            if expected != actual:
                failures.append(
                    f"case {case} {scan_by} start={start!r} end={end!r} queries={queries!r}\n"
                    f"  original: {expected[:2000]}\n  patched:  {actual[:2000]}"
                )
    return len(backend.metric_data), non_empty, failures


def check_through_api(rng: random.Random, cases: int) -> tuple[int, int, list[str]]:
    """The same comparison through boto3 requests to moto's in-process mock."""
    import boto3
    from moto import mock_aws

    failures: list[str] = []
    non_empty = 0
    with mock_aws():
        client = boto3.client(
            "cloudwatch", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        timestamps = [random_timestamp(rng) for _ in range(40)]
        for _ in range(40):
            batch = [random_metric_data(rng, timestamps) for _ in range(rng.randrange(1, 20))]
            client.put_metric_data(Namespace=rng.choice(NAMESPACES), MetricData=batch)
        for case in range(cases):
            period = rng.choice([60, 300, 3600])
            start, end = random_window(rng, timestamps, period)
            queries = [random_query(rng, f"q{i}", period) for i in range(rng.randrange(1, 3))]
            for scan_by in ("TimestampAscending", "TimestampDescending"):
                answers = []
                for method in (ORIGINAL, FAST):
                    CloudWatchBackend.get_metric_data = method  # type: ignore[method-assign]
                    try:
                        response = client.get_metric_data(
                            MetricDataQueries=queries, StartTime=start, EndTime=end, ScanBy=scan_by
                        )
                        answers.append(repr(response["MetricDataResults"]))
                    except Exception as error:  # noqa: BLE001
                        answers.append(f"raised {type(error).__name__}: {error}")
                    finally:
                        CloudWatchBackend.get_metric_data = ORIGINAL  # type: ignore[method-assign]
                if "'Values': [" in answers[0] and "'Values': []" not in answers[0]:
                    non_empty += 1
                if answers[0] != answers[1]:
                    failures.append(
                        f"api case {case} {scan_by} queries={queries!r}\n"
                        f"  original: {answers[0][:2000]}\n  patched:  {answers[1][:2000]}"
                    )
    return cases * 2, non_empty, failures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--api-cases", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20240301)
    args = parser.parse_args()

    moto_server_fast.check_original_source()
    moto_server_fast.install()
    if CloudWatchBackend.get_metric_data is not FAST:
        print("install() did not replace CloudWatchBackend.get_metric_data", file=sys.stderr)
        return 1
    CloudWatchBackend.get_metric_data = ORIGINAL  # type: ignore[method-assign]

    rng = random.Random(args.seed)
    datapoints, non_empty, failures = check_backend(rng, args.cases)
    api_calls, api_non_empty, api_failures = check_through_api(rng, args.api_cases)
    failures += api_failures
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    print(
        f"get_metric_data: {args.cases * 2} backend calls over {datapoints} datapoints "
        f"({non_empty} with datapoints), {api_calls} API calls ({api_non_empty} with datapoints); "
        f"{len(failures)} differ; {moto_server_fast.fallbacks} fell back to moto's scan"
    )
    if non_empty < args.cases // 4 or api_non_empty < args.api_cases // 4:
        print("too few calls returned datapoints for the check to mean anything", file=sys.stderr)
        return 1
    if moto_server_fast.fallbacks:
        print("the bucketing put datapoints in the wrong period (moto's scan answered)", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
