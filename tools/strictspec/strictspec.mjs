#!/usr/bin/env node
// strictspec: a second, independent and strict check of an OpenAPI 3.0 document.
//
//   node strictspec.mjs <openapi.yaml>...
//   node strictspec.mjs --cassette <run.cassette.json>... <openapi.yaml>
//
// kin-openapi, the harness's own loader, forgives several things that other
// tools do not (an ambiguous oneOf it resolves through the discriminator,
// `nullable` without `type`, a nullable enum without null). This script holds
// the contract to the stricter reading:
//
//   1. the YAML parses without warnings and with unique keys;
//   2. the document validates against the OpenAPI 3.0 schema
//      (@seriousme/openapi-schema-validator);
//   3. every path template's parameters are declared, operationIds are unique;
//   4. every schema, turned into JSON Schema as OpenAPI 3.0.3 defines it
//      (`nullable` only widens an explicit `type`; discriminators dropped, so a
//      oneOf must be exclusive on its own), compiles with Ajv in strict mode;
//   5. every example (schema, media type, parameter, header) validates.
//
// It prints one line per problem ("file: where: what") and a summary line per
// file, and exits 1 if any file has a problem, 2 on a usage error, 0 otherwise.
// Several files share one process (and one compiled OpenAPI schema).
//
// With --cassette it checks recorded responses instead (a cassette the suite
// writes with PASSFORT_RECORD): the document must pass the checks above, then
// each exchange's response body is validated, with the same conversion, against
// the schema its operation documents for its status. What cannot be validated
// is counted and listed apart, never passed or failed silently: a status the
// operation does not document (a 500 or 503 a fault scenario provokes on
// purpose; the harness's own contract check reports it as a finding) and an
// exchange without a response (timeout, refused, truncated). Neither changes
// the exit code (decision D118, docs/decisions.md).

import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

// problems collects the current file's problems; checkFile resets it.
let problems = [];
const report = (where, what) => problems.push(`${where}: ${what}`);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SPEC_ID = 'spec';
const SCHEMA_REF = '#/components/schemas/';

// Keywords of an OpenAPI 3.0 Schema Object that have no JSON Schema meaning
// and are dropped before Ajv sees the schema (examples are checked apart).
const DROPPED = new Set(['discriminator', 'example', 'xml', 'externalDocs', 'nullable']);

// Keywords whose value is one schema, a list of schemas, or a map of schemas.
const ONE = ['items', 'not', 'additionalProperties'];
const MANY = ['allOf', 'anyOf', 'oneOf'];

/**
 * toJSONSchema converts one OpenAPI 3.0 Schema Object to JSON Schema (draft
 * 2019-09 subset Ajv accepts), reporting what a strict reader must refuse, and
 * collects every `example` found with the converted schema it belongs to.
 */
function toJSONSchema(s, where, examples) {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    report(where, `schema: got ${JSON.stringify(s)}, want an object`);
    return {};
  }
  if ('$ref' in s) {
    const extra = Object.keys(s).filter((k) => k !== '$ref');
    if (extra.length > 0) {
      report(where, `keywords beside $ref are ignored in OpenAPI 3.0: ${extra.join(', ')}`);
    }
    if (typeof s.$ref !== 'string' || !s.$ref.startsWith(SCHEMA_REF)) {
      report(where, `$ref ${JSON.stringify(s.$ref)}: want ${SCHEMA_REF}<name>`);
      return {};
    }
    return { $ref: `${SPEC_ID}#/$defs/${s.$ref.slice(SCHEMA_REF.length)}` };
  }
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties') {
      out.properties = {};
      for (const [name, p] of Object.entries(v)) {
        out.properties[name] = toJSONSchema(p, `${where}/properties/${name}`, examples);
      }
    } else if (ONE.includes(k) && typeof v === 'object' && v !== null) {
      out[k] = toJSONSchema(v, `${where}/${k}`, examples);
    } else if (MANY.includes(k)) {
      out[k] = v.map((m, i) => toJSONSchema(m, `${where}/${k}/${i}`, examples));
    } else if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v === 'boolean') {
      const bound = k === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (v) {
        out[k] = s[bound];
      }
    } else {
      out[k] = v;
    }
  }
  if (s.exclusiveMinimum === true) delete out.minimum;
  if (s.exclusiveMaximum === true) delete out.maximum;
  if (s.nullable === true) {
    if (typeof s.type !== 'string') {
      report(where, 'nullable without type: OpenAPI 3.0.3 gives it no effect, so null is refused');
    } else {
      out.type = [s.type, 'null'];
      if (Array.isArray(s.enum) && !s.enum.includes(null)) {
        report(where, 'nullable enum without null: the enum still refuses null');
      }
    }
  }
  if ('example' in s) examples.push({ where: `${where}/example`, schema: out, value: s.example });
  return out;
}

function resolve(doc, obj) {
  if (obj && typeof obj.$ref === 'string' && obj.$ref.startsWith('#/')) {
    return obj.$ref
      .slice(2)
      .split('/')
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((o, t) => (o == null ? undefined : o[t]), doc);
  }
  return obj;
}

/** mediaExamples collects the examples of a media type, parameter or header. */
function mediaExamples(doc, holder, where, examples) {
  holder = resolve(doc, holder);
  if (!holder || !holder.schema) return;
  const schema = toJSONSchema(holder.schema, `${where}/schema`, examples);
  if ('example' in holder) examples.push({ where: `${where}/example`, schema, value: holder.example });
  for (const [name, ex] of Object.entries(holder.examples ?? {})) {
    const e = resolve(doc, ex);
    if (e && 'value' in e) examples.push({ where: `${where}/examples/${name}`, schema, value: e.value });
  }
}

function checkPaths(doc, examples) {
  const ids = new Map();
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem);
    const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const where = `paths/${path}`;
    const itemParams = (item.parameters ?? []).map((p) => resolve(doc, p));
    itemParams.forEach((p, i) => mediaExamples(doc, p, `${where}/parameters/${i}`, examples));
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (op.operationId) {
        if (ids.has(op.operationId)) report(at, `operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
        ids.set(op.operationId, at);
      } else {
        report(at, 'no operationId');
      }
      const opParams = (op.parameters ?? []).map((p) => resolve(doc, p));
      opParams.forEach((p, i) => mediaExamples(doc, p, `${at}/parameters/${i}`, examples));
      const declared = [...itemParams, ...opParams].filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of inTemplate) {
        if (!declared.includes(name)) report(at, `path parameter {${name}} is not declared`);
      }
      for (const name of declared) {
        if (!inTemplate.includes(name)) report(at, `path parameter ${name} is not in the template`);
      }
      const body = resolve(doc, op.requestBody);
      for (const [ct, mt] of Object.entries(body?.content ?? {})) {
        mediaExamples(doc, mt, `${at}/requestBody/${ct}`, examples);
      }
      for (const [code, rawResp] of Object.entries(op.responses ?? {})) {
        const resp = resolve(doc, rawResp);
        for (const [ct, mt] of Object.entries(resp?.content ?? {})) {
          mediaExamples(doc, mt, `${at}/${code}/${ct}`, examples);
        }
        for (const [name, h] of Object.entries(resp?.headers ?? {})) {
          mediaExamples(doc, h, `${at}/${code}/headers/${name}`, examples);
        }
      }
    }
  }
}

const USAGE = 'usage: strictspec <openapi.yaml>... | strictspec --cassette <run.cassette.json>... <openapi.yaml>\n';

async function main(argv) {
  if (argv.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (argv.includes('--cassette')) {
    const cassettes = [];
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--cassette' && i + 1 < argv.length) cassettes.push(argv[++i]);
      else rest.push(argv[i]);
    }
    if (cassettes.length === 0 || rest.length !== 1) {
      process.stderr.write(USAGE);
      return 2;
    }
    return checkFile(new Validator(), rest[0], (doc, compile) => checkCassettes(doc, compile, cassettes));
  }
  const validator = new Validator();
  let failed = false;
  for (const file of argv) {
    const code = await checkFile(validator, file);
    if (code === 2) return 2;
    failed ||= code !== 0;
  }
  return failed ? 1 : 0;
}

/**
 * checkFile runs every check on one file and prints its problems and summary.
 * With onValid, a document without problems is handed to it (with a compiler
 * of converted schemas) instead of being summarised.
 */
async function checkFile(validator, file, onValid) {
  problems = [];
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`strictspec: read ${file}: ${err.message}\n`);
    return 2;
  }
  const parsed = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const e of [...parsed.errors, ...parsed.warnings]) report('yaml', e.message.split('\n')[0]);
  if (parsed.errors.length > 0) return finish(file, 0, 0);
  const doc = parsed.toJS();
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    report('/', 'not an OpenAPI document: want a YAML mapping at the top');
    return finish(file, 0, 0);
  }

  const res = await validator.validate(doc);
  if (validator.version !== '3.0') report('openapi', `version: got ${validator.version}, want 3.0`);
  if (!res.valid) {
    for (const e of [].concat(res.errors ?? [])) {
      report(`document ${e.instancePath || '/'}`, `${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
    }
  }

  const examples = [];
  const defs = {};
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
    defs[name] = toJSONSchema(s, `components/schemas/${name}`, examples);
  }
  checkPaths(doc, examples);
  const ajv = newAjv();
  try {
    ajv.addSchema({ $id: SPEC_ID, $defs: defs });
  } catch (err) {
    report('components/schemas', `ajv: ${err.message}`);
    return finish(file, 0, 0);
  }
  let compiled = 0;
  for (const name of Object.keys(defs)) {
    try {
      ajv.getSchema(`${SPEC_ID}#/$defs/${name}`);
      compiled++;
    } catch (err) {
      report(`components/schemas/${name}`, `ajv: ${err.message}`);
    }
  }
  const compile = cachedCompiler(ajv);
  for (const ex of examples) {
    const validate = compile(ex.schema, ex.where);
    if (validate && !validate(ex.value)) {
      for (const e of validate.errors) report(ex.where, ajvError(e));
    }
  }
  if (onValid && problems.length === 0) return onValid(doc, compile);
  return finish(file, compiled, examples.length);
}

/** newAjv is the strict Ajv every check shares; its warnings are problems. */
function newAjv() {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    logger: {
      log: () => {},
      warn: (...m) => report('ajv (strict)', m.join(' ')),
      error: (...m) => report('ajv (strict)', m.join(' ')),
    },
  });
  addFormats(ajv);
  return ajv;
}

/**
 * cachedCompiler compiles each distinct converted schema once (most examples
 * and responses sit under a bare $ref); a schema that does not compile is
 * reported at where and gives null.
 */
function cachedCompiler(ajv) {
  const cache = new Map();
  return (schema, where) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (validate === undefined) {
      try {
        validate = ajv.compile(schema);
      } catch (err) {
        validate = null;
        report(where, `ajv: ${err.message}`);
      }
      cache.set(key, validate);
    }
    return validate;
  };
}

function ajvError(e) {
  return `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`;
}

function finish(file, schemas, examples) {
  for (const p of problems) process.stdout.write(`${file}: ${p}\n`);
  if (problems.length > 0) {
    process.stdout.write(`strictspec: ${file}: ${problems.length} problem(s)\n`);
    return 1;
  }
  process.stdout.write(`strictspec: ${file}: ok (${schemas} schemas compiled, ${examples} examples valid)\n`);
  return 0;
}

/** operations indexes the document's operations by "METHOD /template". */
function operations(doc) {
  const ops = new Map();
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem);
    for (const method of METHODS) {
      if (item?.[method]) ops.set(`${method.toUpperCase()} ${path}`, { path, op: item[method] });
    }
  }
  return ops;
}

/**
 * operationOf names an exchange's operation: the one the cassette recorded,
 * else the template its method and path match, literal segments winning
 * over parameters (POST …/events/bulk_update before …/events/{event_id}).
 */
function operationOf(ops, entry) {
  if (entry.operation) return ops.has(entry.operation) ? entry.operation : '';
  const method = (entry.request?.method ?? '').toUpperCase();
  const segs = (entry.request?.path ?? '').split(/[?#]/)[0].split('/');
  let best = '';
  let bestLiterals = -1;
  for (const [key, { path }] of ops) {
    const tmpl = path.split('/');
    if (!key.startsWith(`${method} `) || tmpl.length !== segs.length) continue;
    let literals = 0;
    const fits = tmpl.every((t, i) => {
      if (/^\{[^}]+\}$/.test(t)) return segs[i] !== '';
      literals++;
      return t === segs[i];
    });
    if (fits && literals > bestLiterals) [best, bestLiterals] = [key, literals];
  }
  return best;
}

/** mediaTypeOf is a response's Content-Type without parameters, lower case. */
function mediaTypeOf(header) {
  const entry = Object.entries(header ?? {}).find(([k]) => k.toLowerCase() === 'content-type');
  const value = entry ? [].concat(entry[1])[0] ?? '' : '';
  return value.split(';')[0].trim().toLowerCase();
}

/**
 * checkCassettes validates every recorded response of each cassette against
 * the schema its operation documents for its status, and prints the
 * problems, the undocumented statuses and the unanswered exchanges apart,
 * with a summary line per cassette. It returns 1 if any response broke its
 * schema (or a cassette could not be read), else 0.
 */
function checkCassettes(doc, compile, files) {
  const ops = operations(doc);
  let failed = false;
  for (const file of files) {
    problems = [];
    let cassette;
    try {
      cassette = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      process.stdout.write(`${file}: read: ${err.message}\n`);
      process.stdout.write(`strictspec: ${file}: 1 problem(s)\n`);
      failed = true;
      continue;
    }
    const entries = Array.isArray(cassette?.exchanges) ? cassette.exchanges : [];
    if (!Array.isArray(cassette?.exchanges)) report('/', 'not a cassette: want an object with "exchanges"');
    let valid = 0;
    let broken = 0;
    const undocumented = [];
    const unanswered = [];
    entries.forEach((entry, i) => {
      const before = problems.length;
      checkEntry(entry, i);
      if (problems.length > before) broken++;
    });
    function checkEntry(entry, i) {
      const resp = entry?.response;
      const key = operationOf(ops, entry ?? {});
      const where = `exchanges/${i} ${key || `${entry?.request?.method} ${entry?.request?.path}`} ${resp?.status ?? '-'}`;
      if (!resp || !resp.status) {
        unanswered.push(`${where}: ${entry?.error || 'no response'}`);
        return;
      }
      if (!key) {
        undocumented.push(`${where}: operation not documented`);
        return;
      }
      const rawResp = ops.get(key).op.responses?.[String(resp.status)];
      if (rawResp === undefined) {
        undocumented.push(`${where}: status ${resp.status} not documented`);
        return;
      }
      const content = resolve(doc, rawResp)?.content ?? {};
      const hasBody = 'body' in resp || 'body_base64' in resp;
      if (Object.keys(content).length === 0) {
        if (hasBody) report(where, 'a body, but the operation documents none for this status');
        else valid++;
        return;
      }
      const mt = mediaTypeOf(resp.header);
      const media = resolve(doc, content[mt]);
      if (!media) {
        report(where, `content type ${JSON.stringify(mt)}: want one of ${Object.keys(content).join(', ')}`);
        return;
      }
      if (!media.schema) {
        valid++;
        return;
      }
      if (!('body' in resp)) {
        report(where, hasBody ? 'body is not JSON' : 'no body, want one');
        return;
      }
      const validate = compile(toJSONSchema(media.schema, `${key} ${resp.status}`, []), where);
      if (!validate) return;
      if (validate(resp.body)) {
        valid++;
        return;
      }
      for (const e of validate.errors) report(where, ajvError(e));
    }
    for (const p of problems) process.stdout.write(`${file}: ${p}\n`);
    for (const u of undocumented) process.stdout.write(`${file}: undocumented: ${u}\n`);
    for (const u of unanswered) process.stdout.write(`${file}: unanswered: ${u}\n`);
    const apart = `${undocumented.length} undocumented status(es) and ${unanswered.length} unanswered exchange(s) not validated`;
    if (problems.length > 0) {
      failed = true;
      process.stdout.write(`strictspec: ${file}: ${broken} of ${entries.length} exchanges break their schema (${problems.length} problem(s)); ${apart}\n`);
    } else {
      process.stdout.write(`strictspec: ${file}: ok (${valid} responses valid; ${apart})\n`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
