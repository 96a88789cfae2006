/**
 * A synthetic package catalog shaped like the real Universe, shared by the benchmarks
 * (bench/universe.ts imports it in-process, bench/gateway.ts uploads it to a gateway): sparse
 * revisions, ~13% non-semver versions, config.json with defaults, a ~1 KB base64 marathon
 * template, and a seeded mix of search queries. Everything comes from one mulberry32 stream
 * (no `Math.random`), so the same calls in the same order give the same data on every run.
 */

export const SYNTHETIC_SEED = 20261125;
export const PACKAGES = 1_250;
export const REVISIONS_PER_PACKAGE = 8;
const RELEASE_VERSIONS = [0, 1, 2, 3, 16, 100, 200, 700];

/** mulberry32: small, fast and good enough to make varied but reproducible data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEMS = (
  "kafka redis spark nginx cassandra elastic mongo postgres mysql maria jenkins gitlab consul vault " +
  "etcd zookeeper flink storm hadoop hdfs hive presto trino kibana grafana prometheus influx telegraf " +
  "rabbit nats pulsar memcached haproxy traefik envoy linkerd istio minio ceph arango cockroach neo " +
  "couch riak solr logstash fluentd jaeger zipkin sonar nexus artifactory airflow superset jupyter"
).split(" ");
const SUFFIXES = [
  "operator",
  "exporter",
  "proxy",
  "gateway",
  "agent",
  "ui",
  "server",
  "cluster",
  "lite",
  "ha",
];
const TAGS = (
  "database cache queue streaming analytics monitoring logging security storage networking " +
  "ci cd big-data search message-broker service-mesh metrics tracing ml notebook proxy load-balancer " +
  "key-value graph time-series object-store sql nosql dashboard orchestration backup"
).split(" ");
const WORDS = (
  "a the fast distributed scalable open source platform for engine service reliable highly available " +
  "real-time data processing storage store of and with cluster managed lightweight secure container " +
  "workloads framework deployments production ready simple powerful in-memory persistent query " +
  "events messages metrics logs dashboards pipelines network traffic"
).split(" ");
const ODD_VERSIONS = ["3.1.x", "v0.4.0-beta", "1.12-patch.0", "0.3.16.4", "6.0.0rc1", "2.0"];

/** A marathon.json.mustache of about 1 KB, padded with a realistic env block. */
function marathonTemplate(name: string): string {
  const env = Array.from({ length: 12 }, (_, i) => `    "ENV_${i}": "{{service.env_${i % 3}}}"`).join(",\n");
  return `{
  "id": "{{service.name}}",
  "cpus": {{service.cpus}},
  "mem": {{service.mem}},
  "instances": {{service.instances}},
  "user": "{{service.user}}",
  "container": {
    "type": "DOCKER",
    "docker": { "image": "{{resource.assets.container.docker.main}}", "forcePullImage": false }
  },
  "env": {
${env}
  },
  "healthChecks": [{ "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0, "gracePeriodSeconds": 30 }],
  "labels": { "DCOS_SERVICE_NAME": "{{service.name}}", "PACKAGE": "${name}" },
  "portDefinitions": [{ "port": 0, "protocol": "tcp", "name": "http" }]
}
`;
}

export interface UniverseIndex {
  packages: Record<string, unknown>[];
}

export interface SyntheticUniverse {
  /** PACKAGES distinct package names. */
  packageNames(): string[];
  /** A built Universe JSON index: REVISIONS_PER_PACKAGE revisions of each name. */
  universeIndex(names: string[]): UniverseIndex;
  /** A seeded mix of what people type: name fragments, tags, words, two words, globs and misses. */
  queryMix(names: string[], count: number): string[];
}

/**
 * A generator drawing from one seeded stream: call packageNames, universeIndex and queryMix
 * in that order (as bench/universe.ts always has) to get the catalog every run has measured.
 */
export function syntheticUniverse(seed: number = SYNTHETIC_SEED): SyntheticUniverse {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const pickSome = <T>(xs: readonly T[], n: number): T[] => [
    ...new Set(Array.from({ length: n }, () => pick(xs))),
  ];

  const sentence = (n: number) => {
    const text = Array.from({ length: n }, () => pick(WORDS)).join(" ");
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };

  function indexEntry(name: string, r: number, description: string, tags: string[]): Record<string, unknown> {
    const releaseVersion = RELEASE_VERSIONS[r]!;
    const version = random() < 0.13 ? pick(ODD_VERSIONS) : `${int(4)}.${r}.${int(20)}`;
    const packagingVersion = pick(["3.0", "4.0", "4.0", "4.0"]);
    return {
      packagingVersion,
      name,
      version,
      maintainer: `${name}@example.com`,
      description,
      tags,
      selected: random() < 0.05,
      framework: random() < 0.3,
      ...(packagingVersion === "4.0" ? { upgradesFrom: ["*"], downgradesTo: ["*"] } : {}),
      minDcosReleaseVersion: "1.11",
      releaseVersion,
      config: {
        type: "object",
        properties: {
          service: {
            type: "object",
            properties: {
              name: { type: "string", default: name },
              cpus: { type: "number", default: 0.5 + int(4) },
              mem: { type: "integer", default: 256 * (1 + int(8)) },
              instances: { type: "integer", default: 1 },
              user: { type: "string", default: "nobody" },
              env_0: { type: "string", default: "" },
              env_1: { type: "string", default: "info" },
              env_2: { type: "string", default: "/var/lib/data" },
            },
          },
        },
      },
      resource: {
        images: {
          "icon-small": `https://example.com/${name}/small.png`,
          "icon-medium": `https://example.com/${name}/medium.png`,
          "icon-large": `https://example.com/${name}/large.png`,
        },
        assets: { container: { docker: { main: `example/${name}:${version}` } } },
      },
      marathon: { v2AppMustacheTemplate: Buffer.from(marathonTemplate(name)).toString("base64") },
    };
  }

  return {
    packageNames() {
      const names = new Set<string>();
      while (names.size < PACKAGES) {
        const base = random() < 0.3 ? pick(STEMS) : `${pick(STEMS)}-${pick(SUFFIXES)}`;
        names.add(names.has(base) ? `${base}-${int(100)}` : base);
      }
      return [...names];
    },

    universeIndex(names) {
      const packages: Record<string, unknown>[] = [];
      for (const name of names) {
        // Packages keep their words across revisions, as real ones mostly do.
        const description = sentence(8 + int(12));
        const tags = pickSome(TAGS, 2 + int(4));
        for (let r = 0; r < REVISIONS_PER_PACKAGE; r++) packages.push(indexEntry(name, r, description, tags));
      }
      return { packages };
    },

    queryMix(names, count) {
      const fragment = (s: string) => {
        const start = int(Math.max(1, s.length - 3));
        return s.slice(start, start + 3 + int(4));
      };
      const kinds: (() => string)[] = [
        () => fragment(pick(names)),
        () => fragment(pick(names)),
        () => pick(names),
        () => pick(TAGS),
        () => pick(WORDS),
        () => `${pick(STEMS)} ${pick(TAGS)}`,
        () => `${pick(STEMS)}*`,
        () => `*${pick(SUFFIXES)}`,
        () => `*${pick(WORDS)}*`,
        () => Array.from({ length: 6 }, () => String.fromCharCode(97 + int(26))).join(""),
      ];
      return Array.from({ length: count }, () => pick(kinds)());
    },
  };
}
