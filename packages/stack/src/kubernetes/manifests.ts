import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';

/** The namespace LetsTalk runs in. */
const NAMESPACE = 'letstalk';
/** Where the images are pushed (built from packages/stack/Dockerfile, one target per app). */
const REGISTRY = 'registry.example.com/letstalk';
const VERSION = '0.1.0';
/** The processes' SHUTDOWN_TIMEOUT_MS (their default): in-flight work finishes, sockets close, NATS drains. */
const SHUTDOWN_TIMEOUT_SECONDS = 15;
/**
 * Seconds a pod keeps serving after Kubernetes starts ending it, so the Service stops sending it requests first
 * (the endpoint's removal travels to every node meanwhile); SIGTERM comes after it.
 */
const PRE_STOP_SECONDS = 5;
/** Before SIGKILL: the wait, the drain, and a margin. */
const TERMINATION_GRACE_SECONDS = PRE_STOP_SECONDS + SHUTDOWN_TIMEOUT_SECONDS + 10;
const METRICS_PORT = 9464;

interface Process {
  name: string;
  port: number;
  /** Serves clients (gateway) or the gateway (subgraphs): gets a Service. Workers only expose health and metrics. */
  serves: boolean;
  replicas: { min: number; max: number };
  resources: { cpu: string; memory: string; memoryLimit: string };
  /** Its own environment, beside the shared ConfigMap and Secret. */
  env: Record<string, string>;
  /** A scratch volume at /app/.data: uploads being checked, archives being built. */
  scratch?: string;
}

/**
 * Every process, with what it needs. The CPU requests follow the cost each process has per message
 * (docs/architecture.md, "Sizing": the message subgraph and the gateways most, the workers by their jobs); set them
 * from what your instances use under load (docs/kubernetes.md). The autoscaler adds instances past 70 % of the CPU
 * request.
 */
const PROCESSES: readonly Process[] = [
  {
    name: 'gateway',
    port: 4000,
    serves: true,
    replicas: { min: 2, max: 10 },
    resources: { cpu: '500m', memory: '256Mi', memoryLimit: '1Gi' },
    env: { GATEWAY_HOST: '0.0.0.0', GATEWAY_PORT: '4000', TRUST_PROXY_HOPS: '1' },
  },
  {
    name: 'user',
    port: 4001,
    serves: true,
    replicas: { min: 2, max: 6 },
    resources: { cpu: '250m', memory: '256Mi', memoryLimit: '512Mi' },
    env: { USER_HOST: '0.0.0.0', USER_PORT: '4001' },
  },
  {
    name: 'message',
    port: 4002,
    serves: true,
    replicas: { min: 2, max: 10 },
    resources: { cpu: '500m', memory: '256Mi', memoryLimit: '1Gi' },
    env: { MESSAGE_HOST: '0.0.0.0', MESSAGE_PORT: '4002' },
  },
  {
    name: 'media',
    port: 4003,
    serves: true,
    replicas: { min: 2, max: 6 },
    resources: { cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' },
    env: { MEDIA_HOST: '0.0.0.0', MEDIA_PORT: '4003' },
    scratch: '2Gi',
  },
  {
    name: 'preview',
    port: 4004,
    serves: true,
    replicas: { min: 2, max: 4 },
    resources: { cpu: '100m', memory: '192Mi', memoryLimit: '512Mi' },
    env: { PREVIEW_HOST: '0.0.0.0', PREVIEW_PORT: '4004' },
  },
  {
    name: 'media-worker',
    port: 4013,
    serves: false,
    replicas: { min: 2, max: 8 },
    resources: { cpu: '500m', memory: '512Mi', memoryLimit: '2Gi' },
    env: { MEDIA_WORKER_HOST: '0.0.0.0', MEDIA_WORKER_PORT: '4013' },
    // Data-export archives are built here before they are stored: up to the 5 GiB upload quota and the text.
    scratch: '12Gi',
  },
  {
    name: 'preview-worker',
    port: 4014,
    serves: false,
    replicas: { min: 2, max: 4 },
    resources: { cpu: '100m', memory: '192Mi', memoryLimit: '512Mi' },
    env: { PREVIEW_WORKER_HOST: '0.0.0.0', PREVIEW_WORKER_PORT: '4014' },
  },
];

/**
 * What every process reads that is not secret. NATS comes from the official chart (deploy/kubernetes/nats-values.yaml:
 * three nodes, JetStream on file), so streams are kept on three (NATS_STREAM_REPLICAS). MySQL is a service outside
 * the cluster: its URLs are in the Secret. Media files go to an S3-compatible bucket, which every media pod shares.
 */
const SHARED_CONFIG: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  DATA_DIR: '/app/.data',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_SECONDS * 1000),
  NATS_URL: 'nats://nats.nats.svc.cluster.local:4222',
  NATS_STREAM_REPLICAS: '3',
  METRICS_HOST: '0.0.0.0',
  METRICS_PORT: String(METRICS_PORT),
  AUTH_ISSUER: 'letstalk',
  AUTH_AUDIENCE: 'letstalk',
  AUTH_JWKS_URL: 'http://user:4001/.well-known/jwks.json',
  USER_URL: 'http://user:4001/graphql',
  MESSAGE_URL: 'http://message:4002/graphql',
  MEDIA_URL: 'http://media:4003/graphql',
  PREVIEW_URL: 'http://preview:4004/graphql',
  MEDIA_STORAGE: 's3',
  MEDIA_PUBLIC_URL: 'https://chat.example.com',
  CORS_ORIGINS: 'https://chat.example.com',
  PRESENCE_BUCKET: 'presence',
};

/** The Secret every process reads (made with kubectl, never committed: docs/kubernetes.md lists its keys). */
const SECRET_NAME = 'letstalk-secrets';

const labelsOf = (app: Process) => ({
  'app.kubernetes.io/name': app.name,
  'app.kubernetes.io/part-of': 'letstalk',
});
const metadataOf = (app: Process) => ({ name: app.name, namespace: NAMESPACE, labels: labelsOf(app) });

function deploymentOf(app: Process): Deployment {
  const probe = (path: string, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds: 5,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return new Deployment({
    metadata: metadataOf(app),
    spec: {
      // The autoscaler owns the count; this is where it starts.
      replicas: app.replicas.min,
      selector: { matchLabels: labelsOf(app) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: labelsOf(app),
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) },
        },
        spec: {
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          // Instances on different nodes where there are several.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labelsOf(app) },
            },
          ],
          containers: [
            {
              name: app.name,
              image: `${REGISTRY}/${app.name}:${VERSION}`,
              ports: [
                { name: 'http', containerPort: app.port },
                { name: 'metrics', containerPort: METRICS_PORT },
              ],
              envFrom: [{ configMapRef: { name: 'letstalk-config' } }, { secretRef: { name: SECRET_NAME } }],
              env: [
                ...Object.entries(app.env).map(([name, value]) => ({ name, value })),
                { name: 'OTEL_SERVICE_NAME', value: app.name },
              ],
              resources: {
                requests: { cpu: app.resources.cpu, memory: app.resources.memory },
                limits: { memory: app.resources.memoryLimit },
              },
              // Up once it answers /healthz; taken out of its Service while /readyz says its database or NATS is away.
              startupProbe: probe('/healthz', 24),
              livenessProbe: probe('/healthz', 3),
              readinessProbe: probe('/readyz', 2),
              lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'data', mountPath: '/app/.data' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'data', emptyDir: { sizeLimit: app.scratch ?? '64Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  });
}

const serviceOf = (app: Process) =>
  new Service({
    metadata: metadataOf(app),
    spec: { selector: labelsOf(app), ports: [{ name: 'http', port: app.port, targetPort: 'http' }] },
  });

const autoscalerOf = (app: Process) =>
  new HorizontalPodAutoscaler({
    metadata: metadataOf(app),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: app.replicas.min,
      maxReplicas: app.replicas.max,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    },
  });

/** One instance may be taken away at a time (a node drained): the other keeps serving. */
const disruptionBudgetOf = (app: Process) =>
  new PodDisruptionBudget({
    metadata: metadataOf(app),
    spec: { maxUnavailable: 1, selector: { matchLabels: labelsOf(app) } },
  });

/** The gateway on the public host, TLS ended at the ingress; WebSockets held open an hour (graphql-ws). */
const ingress = new Ingress({
  metadata: {
    name: 'letstalk',
    namespace: NAMESPACE,
    annotations: {
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-body-size': '64m',
    },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['chat.example.com'], secretName: 'letstalk-tls' }],
    rules: [
      {
        host: 'chat.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } }],
        },
      },
    ],
  },
});

/** Every resource of deploy/kubernetes/letstalk.yaml, in the order kubectl applies them. */
export function letstalkManifests() {
  return [
    new Namespace({ metadata: { name: NAMESPACE } }),
    new ConfigMap({ metadata: { name: 'letstalk-config', namespace: NAMESPACE }, data: SHARED_CONFIG }),
    ...PROCESSES.flatMap((app) => [
      deploymentOf(app),
      ...(app.serves ? [serviceOf(app)] : []),
      autoscalerOf(app),
      disruptionBudgetOf(app),
    ]),
    ingress,
  ];
}

export const MANIFEST_FACTS = { TERMINATION_GRACE_SECONDS, SHUTDOWN_TIMEOUT_SECONDS, PRE_STOP_SECONDS, PROCESSES };
