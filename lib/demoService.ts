import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** CPU milliseconds one request to the demo service burns: a stand-in for an inference call. */
export const DEMO_REQUEST_CPU_MS = 20;

/**
 * User data starting a small HTTP service on port 8080 whose every request burns a known amount
 * of CPU, so the demo group has real load to scale on (`prescale loadgen` replays a trace's
 * shape against it).
 */
export function demoServiceUserData(): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'cat > /opt/prescale-demo.py <<"PY"',
    'import http.server, time',
    `BURN = ${DEMO_REQUEST_CPU_MS / 1000}`,
    'class Handler(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        end = time.process_time() + BURN',
    '        n = 0',
    '        while time.process_time() < end:',
    '            n += 1',
    '        body = b"ok\\n"',
    '        self.send_response(200)',
    '        self.send_header("content-length", str(len(body)))',
    '        self.end_headers()',
    '        self.wfile.write(body)',
    '    def log_message(self, *args):',
    '        pass',
    'http.server.ThreadingHTTPServer(("", 8080), Handler).serve_forever()',
    'PY',
    'nohup python3 /opt/prescale-demo.py >/var/log/prescale-demo.log 2>&1 &',
  );
  return userData;
}
