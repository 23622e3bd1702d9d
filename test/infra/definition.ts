/**
 * The state machine definition as deployed: the DefinitionString, or the DefinitionS3Location asset, of the
 * synthesized template with its DefinitionSubstitutions applied (each `${Name}` becomes `<Name>`, the values being
 * CloudFormation intrinsics the template resolves at deploy time). And a generic walk of a definition's states.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Synthesized } from './synth';

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: AslScope;
  Iterator?: AslScope;
  Branches?: AslScope[];
}

export interface AslScope {
  StartAt: string;
  States: Record<string, AslState>;
}

interface StateMachineProps {
  DefinitionString?: unknown;
  DefinitionS3Location?: { Bucket: unknown; Key: string };
  DefinitionSubstitutions?: Record<string, unknown>;
}

export function deployedDefinition(s: Synthesized, logicalId: string): AslScope {
  const props = s.template.findResources('AWS::StepFunctions::StateMachine')[logicalId]!.Properties as StateMachineProps;
  let text: string;
  if (typeof props.DefinitionString === 'string') {
    text = props.DefinitionString;
  } else if (props.DefinitionS3Location) {
    // The asset whose destination object key is the template's Key: the very file `cdk deploy` uploads.
    const assets = JSON.parse(fs.readFileSync(path.join(s.outdir, `${s.stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };
    const asset = Object.values(assets.files).find((f) =>
      Object.values(f.destinations).some((d) => d.objectKey === props.DefinitionS3Location!.Key),
    );
    if (!asset) throw new Error(`no asset has the object key ${props.DefinitionS3Location.Key}`);
    text = fs.readFileSync(path.join(s.outdir, asset.source.path), 'utf8');
  } else {
    throw new Error(`state machine ${logicalId} has neither DefinitionString nor DefinitionS3Location`);
  }
  const substitutions = props.DefinitionSubstitutions ?? {};
  const substituted = text.replace(/\$\{(\w+)\}/g, (placeholder, name: string) => (name in substitutions ? `<${name}>` : placeholder));
  if (substituted.includes('${')) throw new Error(`placeholders without a substitution remain: ${substituted.match(/\$\{\w+\}/g)?.join(', ')}`);
  return JSON.parse(substituted) as AslScope;
}

/** Every scope of a definition: the top level, each Map's ItemProcessor (or legacy Iterator), each Parallel branch. */
export function scopesOf(scope: AslScope, name = '(top level)'): { name: string; scope: AslScope }[] {
  return [
    { name, scope },
    ...Object.entries(scope.States).flatMap(([stateName, state]) => [
      ...[state.ItemProcessor, state.Iterator].filter((s): s is AslScope => s !== undefined).flatMap((s) => scopesOf(s, `${name} › ${stateName}`)),
      ...(state.Branches ?? []).flatMap((s, i) => scopesOf(s, `${name} › ${stateName}[${i}]`)),
    ]),
  ];
}

/** The states a state may transition to next, within its scope. */
function successors(state: AslState): string[] {
  if (state.Type === 'Choice') return [...(state.Choices ?? []).map((c) => c.Next), ...(state.Default ? [state.Default] : [])];
  return state.Next ? [state.Next] : [];
}

/**
 * Every path from a Catch to a Fail state, through Next (and Choice) chains, in any scope: `Scope: State.Catch[i] →
 * A → B (Fail)`. After such a Catch the only unfinished state is the Fail state, so RedriveExecution would fail again.
 */
export function catchToFailPaths(definition: AslScope): string[] {
  const found: string[] = [];
  for (const { name, scope } of scopesOf(definition)) {
    for (const [stateName, state] of Object.entries(scope.States)) {
      (state.Catch ?? []).forEach((catcher, i) => {
        const walk = (target: string, trail: string[], seen: Set<string>): void => {
          const next = scope.States[target];
          if (!next || seen.has(target)) return;
          const here = [...trail, target];
          if (next.Type === 'Fail') found.push(`${name}: ${stateName}.Catch[${i}] → ${here.join(' → ')} (Fail)`);
          for (const successor of successors(next)) walk(successor, here, new Set([...seen, target]));
        };
        walk(catcher.Next, [], new Set());
      });
    }
  }
  return found;
}
