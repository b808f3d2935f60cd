import { backtestCommand, BACKTEST_HELP } from './commands/backtest.ts';
import { experimentCommand, EXPERIMENT_HELP } from './commands/experiment.ts';
import { forecastCommand, FORECAST_HELP } from './commands/forecast.ts';
import { generateCommand, GENERATE_HELP } from './commands/generate.ts';
import { loadgenCommand, LOADGEN_HELP } from './commands/loadgen.ts';
import { twinCommand, TWIN_HELP } from './commands/twin.ts';
import { UsageError } from './lib/errors.ts';

const HELP = `prescale: predictive autoscaling for EC2 Auto Scaling groups

Usage: prescale <command> [options]

Commands:
  experiment  replay a load trace through every scaling strategy in a simulated group (A/B harness)
  twin        run the bundled Lambdas against a local AWS endpoint, the group simulated, and compare with the experiment
  backtest    rolling-origin forecast backtest of CSV / CloudWatch JSON series (docs/backtest-protocol.md)
  generate    write a synthetic load trace (daily and weekly cycles, trend, promotions, flash crowds)
  forecast    ask a deployed prediction Function URL for a forecast (SigV4-signed)
  loadgen     replay a trace's shape against an HTTP endpoint (the A/B demo service)

Run 'prescale <command> --help' for a command's options.
`;

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  experiment: { run: experimentCommand, help: EXPERIMENT_HELP },
  twin: { run: twinCommand, help: TWIN_HELP },
  backtest: { run: backtestCommand, help: BACKTEST_HELP },
  generate: { run: generateCommand, help: GENERATE_HELP },
  forecast: { run: forecastCommand, help: FORECAST_HELP },
  loadgen: { run: loadgenCommand, help: LOADGEN_HELP },
};

/** Runs one command and returns the process exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const entry = COMMANDS[command];
  if (entry === undefined) {
    process.stderr.write(`prescale: unknown command '${command}'\n\n${HELP}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(entry.help);
    return 0;
  }
  try {
    return await entry.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`prescale ${command}: ${error.message}\n\n${entry.help}`);
      return 2;
    }
    const message =
      error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    process.stderr.write(`prescale ${command}: ${message}\n`);
    return 1;
  }
}
