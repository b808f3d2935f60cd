"""moto server with a faster CloudWatch GetMetricData; otherwise exactly `moto_server`.

Usage (same arguments as the `moto_server` console script):
    .venv/bin/python scripts/moto/moto_server_fast.py -H 127.0.0.1 -p PORT

Why: moto 5.2.5's CloudWatchBackend.get_metric_data answers a MetricStat query by walking every
period of [StartTime, EndTime] and, for each one, scanning every datapoint of the window: O(periods
x datapoints). A 14-day window at Period 300 (4032 periods) over ~70,000 per-minute datapoints
takes many seconds per call. The replacement below is moto's own method with only that inner scan
changed: each query's datapoints are put into their period once (index floor((ts - start) / period),
checked against the period's bounds), so a call is O(datapoints + periods). Everything else is
moto's code unchanged: start/end truncated to whole seconds, the same validation errors, the
`start <= ts < end` window, the namespace/name/dimension/unit filters (with moto's quirk that a
query with dimensions is matched on sorted dimensions and name but not namespace), periods while
`period_start <= end`, datapoints kept in stored order within a period, the statistics computed by
moto's Statistics class, the ScanBy ordering, and metric math queries on top of those results by
moto's code; a call with a Metrics Insights query is answered by the original method as a whole.
scripts/moto/check_fast_get_metric_data.py (run by test/integration/motoFast.test.ts) checks that
both return identical results.

The patch is tied to moto 5.2.5's source of the method: if the installed moto's method differs,
the launcher stops with an error instead of serving a patch copied from other code.
"""

import hashlib
import inspect
import re
import sys
from datetime import datetime, timedelta
from typing import Any, SupportsFloat

import moto
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.metric_data_expression_parser import parse_expression
from moto.cloudwatch.models import CloudWatchBackend, Dimension, Statistics

# sha256 of inspect.getsource(CloudWatchBackend.get_metric_data) in moto 5.2.5, the code copied below.
ORIGINAL_SOURCE_SHA256 = "ea8fffafcc06a35f9155563657ad693fee66cb40f9a39f54078a09f0777be01c"

original_get_metric_data = CloudWatchBackend.get_metric_data

# How often _bucket_periods fell back to moto's scan for a positive period (expected: never; the
# check script asserts it).
fallbacks = 0


def _scan_periods(
    query_data: list[Any],
    start_time: datetime,
    end_time: datetime,
    delta: timedelta,
) -> list[tuple[datetime, list[Any]]]:
    """moto's per-period scan, verbatim: (period start, its datapoints) for each non-empty period.

    Used for a period that is not positive (moto loops forever on one; so does this) and as the
    fallback should a datapoint not fall in the period its index names.
    """
    periods = []
    period_start_time = start_time
    while period_start_time <= end_time:
        period_end_time = period_start_time + delta
        period_md = [
            period_md
            for period_md in query_data
            if period_start_time <= period_md.timestamp < period_end_time
        ]
        if len(period_md) > 0:
            periods.append((period_start_time, period_md))
        period_start_time += delta
    return periods


def _bucket_periods(
    query_data: list[Any],
    start_time: datetime,
    end_time: datetime,
    delta: timedelta,
) -> list[tuple[datetime, list[Any]]]:
    """The same list as _scan_periods, built in one pass over the datapoints.

    Period k is [start + k*delta, start + (k+1)*delta); a datapoint with start <= ts goes to
    k = (ts - start) // delta (exact: timedelta is integer microseconds), which is then checked
    against the period's bounds. Datapoints keep their stored order within a period, as in moto's
    list comprehension, so sums add in the same order.
    """
    global fallbacks
    if delta <= timedelta(0):
        return _scan_periods(query_data, start_time, end_time, delta)
    buckets: dict[int, list[Any]] = {}
    for md in query_data:
        index = (md.timestamp - start_time) // delta
        bucket = buckets.get(index)
        if bucket is None:
            bucket = buckets[index] = []
        bucket.append(md)
    periods = []
    for index in sorted(buckets):
        period_start_time = start_time + delta * index
        period_end_time = period_start_time + delta
        bucket = buckets[index]
        if index < 0 or period_start_time > end_time or not all(
            period_start_time <= md.timestamp < period_end_time for md in bucket
        ):
            # Cannot happen for the window's datapoints with fixed-offset timestamps; take moto's
            # scan rather than risk a different answer.
            fallbacks += 1
            return _scan_periods(query_data, start_time, end_time, delta)
        periods.append((period_start_time, bucket))
    return periods


def fast_get_metric_data(
    self: CloudWatchBackend,
    queries: list[dict[str, Any]],
    start_time: datetime,
    end_time: datetime,
    scan_by: str = "TimestampAscending",
) -> list[dict[str, Any]]:
    """moto 5.2.5's CloudWatchBackend.get_metric_data with the MetricStat period scan bucketed."""
    given_start_time, given_end_time = start_time, end_time
    # moto 5.2.5's code, but for the marked parts.
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)

    if start_time > end_time:
        raise ValidationError("The parameter EndTime must be greater than StartTime.")
    if start_time == end_time:
        raise ValidationError("The parameter StartTime must not equal parameter EndTime.")

    period_data = [
        md for md in self.get_all_metrics() if start_time <= md.timestamp < end_time
    ]

    results = []
    results_to_return = []
    metric_stat_queries = [q for q in queries if "MetricStat" in q]
    metric_math_expression_queries = [
        q
        for q in queries
        if "Expression" in q and not q["Expression"].startswith("SELECT")
    ]
    metric_insights_expression_queries = [
        q
        for q in queries
        if "Expression" in q and q["Expression"].startswith("SELECT")
    ]
    if metric_insights_expression_queries:
        # --- changed part: a call with Metrics Insights queries is answered by moto's code as it is.
        return original_get_metric_data(
            self,
            queries=queries,
            start_time=given_start_time,
            end_time=given_end_time,
            scan_by=scan_by,
        )
    for query in metric_stat_queries:
        metric_stat = query["MetricStat"]
        query_ns = metric_stat["Metric"]["Namespace"]
        query_name = metric_stat["Metric"]["MetricName"]
        delta = timedelta(seconds=int(metric_stat["Period"]))
        dimensions = [
            Dimension(name=d["Name"], value=d["Value"])
            for d in metric_stat["Metric"].get("Dimensions", [])
        ]
        unit = metric_stat.get("Unit")
        result_vals: list[SupportsFloat] = []
        timestamps: list[datetime] = []
        stat = metric_stat["Stat"]
        # --- changed part: moto filters each period's datapoints with these predicates; the same
        # predicates applied to the whole window, then the datapoints put into their periods.
        query_data = [
            md for md in period_data if md.namespace == query_ns and md.name == query_name
        ]
        if dimensions:
            query_data = [
                md
                for md in period_data
                if sorted(md.dimensions) == sorted(dimensions) and md.name == query_name
            ]
        # Filter based on unit value
        if unit:
            query_data = [md for md in query_data if md.unit == unit]

        for period_start_time, query_period_data in _bucket_periods(
            query_data, start_time, end_time, delta
        ):
            # --- end of the changed part
            stats = Statistics([stat], period_start_time)
            stats.metric_data = query_period_data
            result_vals.append(stats.get_statistics_for_type(stat))  # type: ignore[arg-type]

            timestamps.append(stats.timestamp)
        if scan_by == "TimestampDescending" and len(timestamps) > 0:
            timestamps.reverse()
            result_vals.reverse()

        label = query.get("Label") or f"{query_name} {stat}"

        results.append(
            {
                "id": query["Id"],
                "label": label,
                "values": result_vals,
                "timestamps": timestamps,
                "status_code": "Complete",
            }
        )
        if query.get("ReturnData", True):
            results_to_return.append(
                {
                    "id": query["Id"],
                    "label": label,
                    "values": result_vals,
                    "timestamps": timestamps,
                    "status_code": "Complete",
                }
            )
    # Metric Math expression Queries run on top of the results of other queries
    for query in metric_math_expression_queries:
        label = query.get("Label") or query["Id"]
        result_vals, timestamps = parse_expression(query["Expression"], results)
        results_to_return.append(
            {
                "id": query["Id"],
                "label": label,
                "values": result_vals,
                "timestamps": timestamps,
                "status_code": "Complete",
            }
        )
    # (No Metrics Insights queries here: a call with any was answered by moto's code above.)
    return results_to_return


def check_original_source() -> None:
    source = inspect.getsource(original_get_metric_data)
    digest = hashlib.sha256(source.encode()).hexdigest()
    if digest != ORIGINAL_SOURCE_SHA256:
        raise SystemExit(
            f"moto_server_fast: moto {moto.__version__}'s CloudWatchBackend.get_metric_data is not the "
            "moto 5.2.5 code scripts/moto/moto_server_fast.py was copied from "
            f"(sha256 {digest}); update the patch or run .venv/bin/moto_server"
        )


def install() -> None:
    """Replaces CloudWatchBackend.get_metric_data with fast_get_metric_data (idempotent)."""
    check_original_source()
    CloudWatchBackend.get_metric_data = fast_get_metric_data  # type: ignore[method-assign]


if __name__ == "__main__":
    install()
    from moto.server import main

    # As the moto_server console script does.
    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(main())
