import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from '../subgraphs.ts';
import { letstalkManifests, MANIFEST_FACTS } from './manifests.ts';
import { MANIFEST_PATH, renderManifests } from './render.ts';

type Resource = { kind: string; metadata: { name: string }; spec?: Record<string, any> };

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  it('are current (npm run k8s), and every resource is valid against the Kubernetes schema', async () => {
    expect(await readFile(MANIFEST_PATH, 'utf8')).toBe(renderManifests());
    for (const resource of letstalkManifests()) expect(() => resource.validate()).not.toThrow();
  });

  it('give every process probes, resources, a graceful end longer than its drain, an autoscaler and a budget', async () => {
    const resources = parseAllDocuments(await readFile(MANIFEST_PATH, 'utf8')).map(
      (document) => document.toJS() as Resource,
    );
    const named = (kind: string) => resources.filter((resource) => resource.kind === kind);
    const deployments = named('Deployment');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
      MANIFEST_FACTS.PROCESSES.map((app) => app.name).sort(),
    );
    for (const deployment of deployments) {
      const pod = deployment.spec!['template'].spec;
      const [container] = pod.containers;
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.resources.requests.cpu).toBeTruthy();
      expect(container.resources.limits.memory).toBeTruthy();
      // The pre-stop wait, then SIGTERM and the drain (SHUTDOWN_TIMEOUT_MS), all before Kubernetes kills.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
        MANIFEST_FACTS.PRE_STOP_SECONDS + MANIFEST_FACTS.SHUTDOWN_TIMEOUT_SECONDS,
      );
      expect(container.envFrom).toContainEqual({ secretRef: { name: 'letstalk-secrets' } });
      const { name } = deployment.metadata;
      const autoscaler = named('HorizontalPodAutoscaler').find((resource) => resource.metadata.name === name);
      expect(autoscaler?.spec?.['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(autoscaler?.spec?.['minReplicas']).toBeGreaterThanOrEqual(2);
      const budget = named('PodDisruptionBudget').find((resource) => resource.metadata.name === name);
      expect(budget?.spec?.['selector']).toEqual(deployment.spec!['selector']);
    }
    // Nothing secret in what is committed.
    const config = named('ConfigMap')[0]!;
    expect(Object.keys((config as unknown as { data: object }).data).join()).not.toMatch(/KEY|SECRET|PASSWORD|TOKEN/);
  });

  it("run NATS with the official chart as three servers with JetStream on disk (the streams' three copies)", async () => {
    const values = parse(await readFile(join(repoRoot, 'deploy/kubernetes/nats-values.yaml'), 'utf8'));
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream).toMatchObject({
      enabled: true,
      fileStore: { enabled: true, pvc: { enabled: true } },
    });
    const config = letstalkManifests().find((resource) => resource.kind === 'ConfigMap') as unknown as {
      data: Record<string, string>;
    };
    expect(config.data['NATS_STREAM_REPLICAS']).toBe(String(values.config.cluster.replicas));
  });
});
