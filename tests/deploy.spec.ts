import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from './support/processes.ts';

/**
 * Issue 13: the deployment files are checked, not trusted. The compose file against the Compose
 * specification's JSON schema (as shipped by dclint); both kustomize overlays rendered by `kubectl kustomize`
 * and every object checked against the Kubernetes OpenAPI schemas (kubernetes-models' validators: types,
 * required fields, enums, formats) and for fields the API does not know (the official client's models), plus
 * our rules: no `latest` images, probes, limits and a locked-down securityContext on every container.
 */
const deploy = join(repoRoot, 'deploy');
// biome-ignore lint/suspicious/noExplicitAny: manifests are arbitrary JSON
type Json = Record<string, any>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** `name:tag` with a tag that is not `latest` (a digest pins too). */
const pinned = (image: string) =>
  /@sha256:[0-9a-f]{64}$/.test(image) || /:[^/:]+$/.test(image.replace(/:latest$/, ''));

describe('deploy/compose.yaml', () => {
  const compose = parse(readFileSync(join(deploy, 'compose.yaml'), 'utf8'), { merge: true }) as Json;
  const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  // Its $schema names draft-07 by an https URL, which Ajv (draft-07 by default) knows by its http one.
  const { $schema: _draft07, ...schema } = JSON.parse(
    readFileSync(join(dclint, 'schemas/compose.schema.json'), 'utf8'),
  );
  const compile = () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(schema);
  };

  it('is valid against the Compose specification schema', () => {
    const validate = compile();
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check would catch a mistake', () => {
    const validate = compile();
    expect(validate({ services: { gateway: { image: 'x:1', replicas: 2 } } })).toBe(false);
  });

  it('runs every service of the distributed mode, pinned, read-only, non-root, with replicas where safe', () => {
    const services = compose.services as Record<string, Json>;
    expect(Object.keys(services).sort()).toEqual([
      'audit',
      'config',
      'gateway',
      'jobs',
      'nats',
      'postgres',
      'runner',
    ]);
    for (const [name, service] of Object.entries(services)) expect(pinned(service.image), name).toBe(true);
    for (const name of ['gateway', 'config', 'jobs', 'runner', 'audit']) {
      const service = services[name] as Json;
      expect(service.environment.FERRY_SERVICES, name).toBe(name);
      expect(service, name).toMatchObject({
        read_only: true,
        user: '10001:10001',
        cap_drop: ['ALL'],
        init: true,
      });
      expect(service.environment.FERRY_HEALTH_PORT, name).toBeDefined(); // the image's HEALTHCHECK asks it
    }
    for (const name of ['config', 'jobs', 'runner']) expect(services[name]?.deploy?.replicas, name).toBe(2);
    // Only the stateful services get the database's credentials.
    const withStores = Object.keys(services).filter((n) => services[n]?.environment?.FERRY_EVENT_STORE_URL);
    expect(withStores.sort()).toEqual(['audit', 'config', 'jobs']);
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;
if (!hasKubectl)
  console.warn(
    'deploy.spec: kubectl is missing, SKIPPING the Kubernetes checks (apt-get install kubernetes-client)',
  );

const render = (overlay: string): Json[] => {
  const out = spawnSync('kubectl', ['kustomize', join(deploy, 'kubernetes', overlay)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${out.stderr}`);
  return parseAllDocuments(out.stdout).map((doc) => doc.toJS() as Json);
};

/** kubernetes-models' validator of an object's kind (generated from the Kubernetes OpenAPI document). */
const modelOf = async (object: Json) => {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const module = await import(
    group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`
  );
  const Model = module[object.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  return Model as new (
    data: Json,
  ) => { validate(): void };
};

/**
 * Fields the Kubernetes API does not know (a misspelt `readinesProbe` passes a lenient schema and is then
 * silently dropped by the API server), found with the attribute maps of @kubernetes/client-node's models.
 */
const unknownFields = (value: unknown, type: string, path: string): string[] => {
  if (value === null || value === undefined) return [];
  const list = /^Array<(.+)>$/.exec(type);
  if (list)
    return (value as unknown[]).flatMap((v, i) => unknownFields(v, list[1] as string, `${path}[${i}]`));
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map)
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1] as string, `${path}.${k}`));
  const model = (
    k8s as unknown as Record<string, { getAttributeTypeMap?: () => { baseName: string; type: string }[] }>
  )[type];
  if (!model?.getAttributeTypeMap || typeof value !== 'object') return []; // scalars, quantities, int-or-string
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, v]) =>
    attributes.has(key)
      ? unknownFields(v, attributes.get(key) as string, `${path}.${key}`)
      : [`${path}.${key}`],
  );
};
const clientType = (object: Json) =>
  `${object.apiVersion.split('/').at(-1).replace(/^v/, 'V')}${object.kind}`;

const podSpecOf = (object: Json): Json | undefined => object.spec?.template?.spec;

describe.skipIf(!hasKubectl)('deploy/kubernetes', () => {
  const overlays = { embedded: render('embedded'), distributed: render('distributed') };
  const examples = parseAllDocuments(
    readFileSync(join(deploy, 'kubernetes/secrets.example.yaml'), 'utf8'),
  ).map((doc) => doc.toJS() as Json);

  it('the schema checks would catch a mistake', async () => {
    const deployment = overlays.distributed.find((o) => o.kind === 'Deployment') as Json;
    const [container] = deployment.spec.template.spec.containers as [Json];
    const misspelt = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    const Deployment = await modelOf(deployment);
    expect(() => new Deployment(misspelt).validate()).toThrow(/replicas must be integer/);
    const typo = structuredClone(deployment);
    typo.spec.template.spec.containers[0] = { ...container, readinesProbe: container.readinessProbe };
    expect(unknownFields(typo, clientType(typo), 'd')).toEqual([
      'd.spec.template.spec.containers[0].readinesProbe',
    ]);
  });

  describe.each(Object.entries(overlays))('overlay %s', (_name, objects) => {
    it('renders objects that the Kubernetes OpenAPI schemas accept, with no field the API does not know', async () => {
      expect(objects.length).toBeGreaterThan(5);
      for (const object of objects) {
        const Model = await modelOf(object);
        expect(() => new Model(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
        expect(unknownFields(object, clientType(object), `${object.kind}/${object.metadata.name}`)).toEqual(
          [],
        );
      }
    });

    it('gives every container a pinned image, probes, resource limits and a locked-down securityContext', () => {
      const workloads = objects.filter((o) => podSpecOf(o));
      expect(workloads.length).toBeGreaterThan(0);
      for (const workload of workloads) {
        const pod = podSpecOf(workload) as Json;
        const where = `${workload.kind}/${workload.metadata.name}`;
        expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
        for (const container of pod.containers as Json[]) {
          expect(pinned(container.image), `${where} image ${container.image}`).toBe(true);
          expect(container.readinessProbe, `${where} readinessProbe`).toBeDefined();
          expect(container.livenessProbe, `${where} livenessProbe`).toBeDefined();
          expect(
            container.resources?.limits?.cpu && container.resources?.limits?.memory,
            `${where} limits`,
          ).toBeTruthy();
          expect(container.resources?.requests?.memory, `${where} requests`).toBeDefined();
          expect(container.securityContext, where).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
        }
      }
    });

    it('keeps a disruption budget and network policies, and lets Prometheus find the metrics', () => {
      const kinds = new Set(objects.map((o) => o.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['PodDisruptionBudget', 'NetworkPolicy', 'Service']));
      const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
      for (const workload of objects.filter((o) => podSpecOf(o))) {
        const labels = workload.spec.template.metadata.labels as Json;
        const covered = budgets.some((b) =>
          Object.entries(b.spec.selector.matchLabels as Json).every(([k, v]) => labels[k] === v),
        );
        expect(covered, `${workload.kind}/${workload.metadata.name} has a PodDisruptionBudget`).toBe(true);
      }
      const gateways = objects.filter(
        (o) => podSpecOf(o) && o.spec.template.metadata.labels['app.kubernetes.io/component'] === 'gateway',
      );
      expect(gateways).toHaveLength(1);
      expect(gateways[0]?.spec.template.metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8001',
        'prometheus.io/path': '/api/v1/metrics',
      });
      expect(
        objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ferry-default-deny')?.spec,
      ).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'ferry' } },
        policyTypes: ['Ingress', 'Egress'],
      });
    });
  });

  it('embedded: one StatefulSet with its volumes, probed on /api/v1/ready and /api/v1/health', () => {
    const sets = overlays.embedded.filter((o) => o.kind === 'StatefulSet');
    expect(sets).toHaveLength(1);
    const [set] = sets as [Json];
    expect(set.spec.replicas).toBe(1);
    expect(set.spec.volumeClaimTemplates.map((c: Json) => c.metadata.name)).toEqual(['data', 'local']);
    const [container] = set.spec.template.spec.containers as [Json];
    expect(container.readinessProbe.httpGet.path).toBe('/api/v1/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/api/v1/health');
  });

  it('distributed: a Deployment per service with replicas, NATS, stores only where kept, runner RBAC', () => {
    const objects = overlays.distributed;
    const deployments = new Map(
      objects.filter((o) => o.kind === 'Deployment').map((d) => [d.metadata.name, d]),
    );
    expect([...deployments.keys()].sort()).toEqual([
      'ferry-audit',
      'ferry-config',
      'ferry-gateway',
      'ferry-jobs',
      'ferry-runner',
    ]);
    const containerOf = (name: string) =>
      (deployments.get(`ferry-${name}`) as Json).spec.template.spec.containers[0] as Json;
    const env = (name: string) => {
      const container = containerOf(name);
      return Object.fromEntries((container.env as Json[]).map((e) => [e.name, e.value ?? e.valueFrom]));
    };
    for (const name of ['gateway', 'config', 'jobs', 'runner'])
      expect(deployments.get(`ferry-${name}`)?.spec.replicas).toBeGreaterThanOrEqual(2);
    for (const name of ['config', 'jobs', 'audit'])
      expect(env(name).FERRY_EVENT_STORE_URL).toEqual({
        secretKeyRef: { name: 'ferry-stores', key: 'FERRY_EVENT_STORE_URL' },
      });
    for (const name of ['gateway', 'runner']) expect(env(name).FERRY_EVENT_STORE_URL).toBeUndefined();
    for (const name of ['config', 'jobs', 'runner', 'audit']) {
      const container = containerOf(name);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    }
    expect(containerOf('gateway').readinessProbe.httpGet.path).toBe('/api/v1/ready');
    expect(objects.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'nats')).toBe(true);
    // Each service process shows its operation durations on the health port (services/ferry/src/health.ts).
    for (const name of ['config', 'jobs', 'runner', 'audit'])
      expect(deployments.get(`ferry-${name}`)?.spec.template.metadata.annotations, name).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8002',
        'prometheus.io/path': '/metrics',
      });
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'ferry-runner') as Json;
    expect(role.rules.flatMap((r: Json) => r.resources)).toEqual(
      expect.arrayContaining(['pods', 'pods/attach', 'pods/log']),
    );
    expect(deployments.get('ferry-runner')?.spec.template.spec.serviceAccountName).toBe('ferry-runner');
  });

  it('secrets.example.yaml holds valid Secrets for every secretKeyRef the overlays use', async () => {
    for (const secret of examples) {
      const Model = await modelOf(secret);
      expect(() => new Model(secret).validate()).not.toThrow();
    }
    const provided = new Set(
      examples.flatMap((s) => Object.keys(s.stringData).map((k) => `${s.metadata.name}/${k}`)),
    );
    const refs = JSON.stringify(overlays).matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"/g);
    for (const [, name, key] of refs) expect(provided, `${name}/${key}`).toContain(`${name}/${key}`);
  });
});
