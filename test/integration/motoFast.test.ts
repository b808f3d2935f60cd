import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// startLocalAws() serves moto through scripts/moto/moto_server_fast.py, whose GetMetricData buckets
// datapoints into periods once instead of moto's scan of every datapoint for every period. The
// script below feeds random datapoints and queries to both implementations (on one backend, then
// through boto3 requests) and fails on any difference in values, timestamps, order or errors.
describe('moto_server_fast', () => {
  it("answers GetMetricData exactly as moto's own get_metric_data", () => {
    const setup = spawnSync('bash', ['scripts/setup-moto.sh'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    expect(setup.status).toBe(0);
    const check = spawnSync(`${ROOT}.venv/bin/python`, ['scripts/moto/check_fast_get_metric_data.py'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    expect(check.stdout).toMatch(/; 0 differ; 0 fell back/);
  });
});
