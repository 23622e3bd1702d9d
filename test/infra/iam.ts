/** Reads the IAM statements a template grants a role, from every AWS::IAM::Policy attached to it. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

type PolicyResource = { Properties: { Roles?: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } };

export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles ?? []).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** action → resources it is allowed on, for a role. */
export function grantsOfRole(template: Template, roleLogicalId: string): Map<string, unknown[]> {
  const grants = new Map<string, unknown[]>();
  for (const s of statementsOfRole(template, roleLogicalId)) {
    if (s.Effect !== 'Allow') continue;
    for (const a of actionsOf(s)) grants.set(a, [...(grants.get(a) ?? []), ...resourcesOf(s)]);
  }
  return grants;
}

/** Every statement of every policy in the template: managed, inline (roles) and resource policies. */
export function everyStatement(template: Template): Statement[] {
  const json = template.toJSON() as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  const found: Statement[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.Statement)) found.push(...(record.Statement as Statement[]));
    Object.values(record).forEach(visit);
  };
  Object.values(json.Resources).forEach((r) => visit(r.Properties));
  return found;
}
