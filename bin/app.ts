import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AbExperimentStack, PrescaleStack } from '../lib/index.ts';
import { bundleAll, LAMBDAS } from '../scripts/bundle.ts';

// The constructs package the bundled Lambdas: build them first on a fresh clone.
const dist = fileURLToPath(new URL('../dist/lambdas/', import.meta.url));
if (!LAMBDAS.every((name) => existsSync(`${dist}${name}/index.mjs`))) await bundleAll();

// No account lookups: the app synthesizes offline (`npx cdk synth`), environment-agnostic.
const app = new App();
new PrescaleStack(app, 'PrescaleDemo', {
  description: 'prescale demo: an Auto Scaling group with predictive scaling (forecast-only) and its reactive fallback',
});
new AbExperimentStack(app, 'PrescaleAbExperiment', {
  description:
    'prescale live A/B: an ALB splitting traffic between a reactive and a predictive group, with a daily comparison report',
});
// cdk-nag's AWS Solutions rules: an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
