/**
 * The context values that turn on the delivery pipeline (`CafeEtlPipeline`), decoded with io-ts. None of the source
 * values set: no pipeline, and the app is the one `CafeEtl` stack. Any of them set: all three, and both stages'
 * account and region, must be there and well formed, or the synth fails naming each value that is not.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';

/** A string matching `re`; `name` says what is expected, and is what an error message shows. */
const matching = (name: string, re: RegExp) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && re.test(u),
    (u, c) => (typeof u === 'string' && re.test(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

// CodeConnections ARNs are arn:aws:codeconnections:…; connections made before the rename keep codestar-connections.
const ConnectionArn = matching('a CodeConnections connection ARN (arn:aws:codeconnections:REGION:ACCOUNT:connection/ID)',
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/);
// GitHub's owner and repository name characters.
const Repository = matching('a GitHub repository as owner/name', /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
// A git branch name, without the forms git refuses (a leading '-', '..', spaces, ~^:?*[\ and a trailing '/' or '.lock').
const Branch = matching('a git branch name', /^(?!-)(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\]+$/);
const Account = matching('a 12-digit AWS account id', /^\d{12}$/);
const Region = matching('an AWS region name (e.g. eu-west-1)', /^[a-z]{2}(-[a-z]+)+-\d$/);
const Email = matching('an e-mail address', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
const YesNo = matching("'true' or 'false'", /^(true|false)$/);

/** The source values: setting any of them asks for the pipeline. */
export const PIPELINE_SOURCE_KEYS = ['pipelineConnectionArn', 'pipelineRepository', 'pipelineBranch'] as const;

const PipelineContextCodec = t.intersection([
  t.type({
    pipelineConnectionArn: ConnectionArn,
    pipelineRepository: Repository,
    pipelineBranch: Branch,
    stagingAccount: Account,
    stagingRegion: Region,
    productionAccount: Account,
    productionRegion: Region,
  }),
  t.partial({
    /** Where the pipeline itself lives (default: the staging account and region). */
    pipelineAccount: Account,
    pipelineRegion: Region,
    stagingAlarmEmail: Email,
    productionAlarmEmail: Email,
    /** A manual approval between Staging and Production (default true). */
    productionApproval: YesNo,
  }),
]);

/** Every context key the pipeline reads (the synth step passes each one that is set on to `cdk synth`). */
export const PIPELINE_CONTEXT_KEYS = [
  ...PipelineContextCodec.types.flatMap((part) => Object.keys(part.props)),
] as (keyof t.TypeOf<typeof PipelineContextCodec>)[];

export interface Environment { account: string; region: string }

export interface StageSettings {
  name: 'Staging' | 'Production';
  env: Environment;
  alarmEmail?: string;
}

export interface PipelineSettings {
  connectionArn: string;
  /** owner/name */
  repository: string;
  branch: string;
  env: Environment;
  stages: [StageSettings, StageSettings];
  approval: boolean;
}

/**
 * The pipeline's settings from the app's context (`read` gives a value or undefined when unset), or undefined when no
 * source value is set.
 */
export function decodePipelineContext(read: (key: string) => string | undefined): PipelineSettings | undefined {
  if (PIPELINE_SOURCE_KEYS.every((key) => read(key) === undefined)) return undefined;
  const given = Object.fromEntries(PIPELINE_CONTEXT_KEYS.flatMap((key) => {
    const value = read(key);
    return value === undefined ? [] : [[key, value]];
  })) as Record<string, string>;
  const decoded = PipelineContextCodec.decode(given);
  if (isLeft(decoded)) {
    const problems = new Map<string, string>();
    for (const error of decoded.left) {
      // The context entry is the key of the path's last object level: [intersection, part, key].
      const entry = error.context.at(-1)!;
      problems.set(entry.key, entry.actual === undefined
        ? `context ${entry.key} is missing (${entry.type.name})`
        : `context ${entry.key} must be ${entry.type.name}, got '${String(entry.actual)}'`);
    }
    throw new Error(`the pipeline (asked for by ${PIPELINE_SOURCE_KEYS.filter((k) => read(k) !== undefined).join(', ')}) cannot be built: ${[...problems.values()].join('; ')}`);
  }
  const c = decoded.right;
  return {
    connectionArn: c.pipelineConnectionArn,
    repository: c.pipelineRepository,
    branch: c.pipelineBranch,
    env: { account: c.pipelineAccount ?? c.stagingAccount, region: c.pipelineRegion ?? c.stagingRegion },
    stages: [
      { name: 'Staging', env: { account: c.stagingAccount, region: c.stagingRegion }, ...(c.stagingAlarmEmail ? { alarmEmail: c.stagingAlarmEmail } : {}) },
      { name: 'Production', env: { account: c.productionAccount, region: c.productionRegion }, ...(c.productionAlarmEmail ? { alarmEmail: c.productionAlarmEmail } : {}) },
    ],
    approval: c.productionApproval !== 'false',
  };
}
