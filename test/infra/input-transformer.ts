/**
 * What EventBridge makes of an event with a target's InputTransformer, for the templates this stack writes: each
 * `<name>` placeholder standing as a JSON value (not inside a quoted string) is replaced by the value its
 * InputPathsMap path selects, as that JSON value: a string as a JSON string, a number as a number, null as null
 * (the "Simple JSON" example of https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html:
 * `"instance" : <instance>` becomes `"instance" : "i-0123456789"`).
 *
 * A placeholder inside a quoted string is refused: there EventBridge inserts the value without escaping it (same
 * page, "Common issues"), so a value holding a quote would break the JSON. A path the event lacks is refused too:
 * EventBridge then creates no variable at all.
 */

export interface InputTransformer {
  InputPathsMap: Record<string, string>;
  InputTemplate: string;
}

/** `$.detail.object.key` → event.detail.object.key (dot notation, all these templates use). */
function select(event: unknown, jsonPath: string): { found: boolean; value: unknown } {
  let value: unknown = event;
  for (const part of jsonPath.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    if (typeof value !== 'object' || value === null || !(part in value)) return { found: false, value: undefined };
    value = (value as Record<string, unknown>)[part];
  }
  return { found: true, value };
}

export function renderInputTransformer(transformer: InputTransformer, event: unknown): string {
  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (inString) {
      if (ch === '\\') {
        out += ch + (template[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') inString = false;
      if (ch === '<' && /^<[\w.-]+>/.test(template.slice(i))) {
        throw new Error(`placeholder inside a string at ${i}: EventBridge would insert its value unescaped`);
      }
      out += ch;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === '<') {
      const end = template.indexOf('>', i);
      const name = template.slice(i + 1, end);
      const jsonPath = transformer.InputPathsMap[name];
      if (jsonPath === undefined) throw new Error(`placeholder <${name}> is not in InputPathsMap`);
      const { found, value } = select(event, jsonPath);
      if (!found) throw new Error(`the event has no ${jsonPath}: EventBridge would create no <${name}>`);
      out += JSON.stringify(value);
      i = end;
      continue;
    }
    out += ch;
  }
  return out;
}
