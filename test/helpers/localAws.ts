// The local AWS endpoint lives in cli/lib/localAws.ts, where CLI commands can start it too.
export { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../../cli/lib/localAws.ts';
