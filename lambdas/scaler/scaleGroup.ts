import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { CheckpointFormatError, CorruptCheckpointError } from '../../models/forecast/errors.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { checkpointAge, historyWindow, MIN_SCALER_POINTS, tickForecast } from '../../models/forecast/scalerForecast.ts';
import type { Forecaster } from '../../models/forecast/types.ts';
import { decide, plannedLoad, type Decision, type ForecastPolicy } from '../../models/policy/decide.ts';
import { trackDrift, type DriftSettings, type DriftState } from '../../models/policy/drift.ts';
import type { CapacityTarget, CheckpointStore, MetricSource } from '../../models/ports.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';
import type { RegularSeries } from '../../models/series/types.ts';

export interface ScalerSettings {
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  /** When the scaler's own forecast error counts as drift. */
  readonly drift: DriftSettings;
  readonly policy: ForecastPolicy;
  /** Days of 5-minute history fetched each tick. */
  readonly historyDays: number;
  /** A promoted checkpoint older than this is stale: forecast with the fallback model instead. */
  readonly maxCheckpointAgeHours: number;
}

export interface ScalerPorts {
  readonly metrics: MetricSource;
  readonly checkpoints: CheckpointStore;
  readonly capacity: CapacityTarget;
  /** Claims the right to apply this tick's decision for a group; false when another run has it. */
  readonly claimTick: (group: string, tickSeconds: number) => Promise<boolean>;
  /** Where each group's recent forecasts are kept between ticks. */
  readonly driftState: {
    get(group: string): Promise<DriftState | undefined>;
    put(group: string, state: DriftState): Promise<void>;
  };
  /** Asks the trainer to retrain a group now; undefined when no trainer is configured. */
  readonly requestRetrain?: (group: string) => Promise<void>;
}

/** What one group's tick did, for the decision log and the metrics. */
export interface GroupOutcome {
  readonly group: string;
  readonly action: 'applied' | 'unchanged' | 'forecast-only' | 'skipped-overlap' | 'no-action';
  readonly reason: string;
  readonly model: string;
  readonly modelVersion?: string;
  readonly modelAgeHours?: number;
  readonly fallbackReason?: string;
  readonly decision?: Decision;
  readonly forecastMean?: number;
  readonly forecastUpper?: number;
  readonly appliedCapacity?: number;
  readonly insufficientHistory: boolean;
  /** MASE of this scaler's recent one-step forecasts against the load that came. */
  readonly forecastMase?: number | null;
  /** Why a retraining was (or could not be) requested, when drift was sustained. */
  readonly drift?: string;
}

/** Loaded models by group and version, kept across warm invocations. */
const modelCache = new Map<string, Forecaster>();

/**
 * One group, one tick: fetch the load, load the promoted model (or fall back and say why),
 * forecast, decide, and apply unless in forecast-only mode or another run got there first.
 */
export async function scaleGroup(
  group: string,
  nowSeconds: number,
  settings: ScalerSettings,
  ports: ScalerPorts,
): Promise<GroupOutcome> {
  const tick = Math.floor(nowSeconds / settings.policy.tickSeconds) * settings.policy.tickSeconds;
  const raw = await ports.metrics.fetchLoad(group, historyWindow(nowSeconds, settings.historyDays));
  const history = fillGaps(raw);
  if (history === undefined || history.values.length < MIN_SCALER_POINTS) {
    const points = history?.values.length ?? 0;
    return {
      group,
      action: 'no-action',
      reason: `insufficient history: ${points} of the ${MIN_SCALER_POINTS} 5-minute points a day needs`,
      model: 'none',
      insufficientHistory: true,
    };
  }
  const { model, name, version, ageHours, fallbackReason } = await loadModel(
    group,
    nowSeconds,
    settings,
    ports.checkpoints,
    history,
  );
  const { forecast, loadForecast } = await tickForecast(model, history, raw.kind, settings.policy);
  const drift = await watchDrift(
    group,
    nowSeconds,
    history,
    { t: loadForecast.startSeconds, value: forecast.mean[0] },
    settings.drift,
    ports,
  );
  const state = await ports.capacity.read(group);
  const decision = decide(nowSeconds, loadForecast, state, settings.policy);
  const base = {
    group,
    model: name,
    modelVersion: version,
    modelAgeHours: ageHours,
    fallbackReason,
    decision,
    insufficientHistory: false,
    ...drift,
    forecastMean: plannedLoad(nowSeconds, loadForecast, { ...settings.policy, kind: 'simple-ceiling' }),
    forecastUpper: plannedLoad(nowSeconds, loadForecast, {
      ...settings.policy,
      kind: 'confidence-aware',
      intervalLevel: 80,
    }),
  };
  if (settings.mode === 'forecast-only')
    return {
      ...base,
      action: 'forecast-only',
      reason: `forecast-only: ${decision.reason}`,
      appliedCapacity: state.desiredCapacity,
    };
  if (!(await ports.claimTick(group, tick))) {
    return {
      ...base,
      action: 'skipped-overlap',
      reason: 'another scaler run already applied this tick',
      appliedCapacity: state.desiredCapacity,
    };
  }
  const applied = await ports.capacity.apply(group, decision);
  return {
    ...base,
    action: applied.changed ? 'applied' : 'unchanged',
    reason: decision.reason,
    appliedCapacity: applied.desiredCapacity,
  };
}

/** Score recent forecasts, remember this one, and ask for a retraining when drift is sustained. */
async function watchDrift(
  group: string,
  nowSeconds: number,
  history: RegularSeries,
  newest: { t: number; value: number },
  settings: DriftSettings,
  ports: ScalerPorts,
) {
  const update = trackDrift(await ports.driftState.get(group), nowSeconds, history, newest, settings);
  await ports.driftState.put(group, update.state);
  if (!update.retrain) return { forecastMase: update.mase };
  if (ports.requestRetrain === undefined)
    return {
      forecastMase: update.mase,
      drift: `${update.reason}, but no trainer function is configured (PRESCALE_TRAINER_FUNCTION)`,
    };
  await ports.requestRetrain(group);
  return { forecastMase: update.mase, drift: update.reason };
}

/** The promoted checkpoint's model, or an ARIMA fitted on the spot, with the reason. */
async function loadModel(
  group: string,
  nowSeconds: number,
  settings: ScalerSettings,
  store: CheckpointStore,
  history: RegularSeries,
) {
  let fallbackReason: string;
  try {
    const stored = await store.loadPromoted(group);
    if (stored === undefined) {
      fallbackReason = 'no promoted checkpoint';
    } else {
      const { ageHours, staleReason } = checkpointAge(
        stored.checkpoint,
        stored.version,
        nowSeconds,
        settings.maxCheckpointAgeHours,
      );
      if (staleReason !== undefined) {
        fallbackReason = staleReason;
      } else {
        const key = `${group}/${stored.version}`;
        let model = modelCache.get(key);
        if (model === undefined) {
          await initTfBackend();
          model = loadForecaster(stored.checkpoint);
          modelCache.set(key, model);
        }
        return {
          model,
          name: stored.checkpoint.manifest.kind,
          version: stored.version,
          ageHours,
          fallbackReason: undefined,
        };
      }
    }
  } catch (error) {
    // A checkpoint that cannot be read is a reason to fall back; anything else (AWS down, a bug) fails the group.
    if (!(
      error instanceof CorruptCheckpointError ||
      error instanceof CheckpointFormatError ||
      error instanceof SyntaxError
    ))
      throw error;
    fallbackReason = `checkpoint unusable: ${(error as Error).message}`;
  }
  const model = await new ArimaForecaster().fit(history);
  return { model, name: 'arima (fallback)', version: undefined, ageHours: undefined, fallbackReason };
}
