/** Kafka: one KRaft node (broker + controller) from Maven Central jars cached in $DTX_CACHE, data under $DTX_DATA. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { splitHostPort, type Config } from '../common/config';
import { kafkaConfigFrom } from '../common/kafka';
import { installAtomically, isInstalled } from './cache';
import { logFileOf, type Component, type StackContext, type Started } from './component';
import { InstallError, MissingToolError, StackError } from './errors';
import { formatDuration, since } from './output';
import { isLoopback, type PortSpec } from './ports';
import { runCommand, spawnDetached, stopProcess, which, type PidRecord } from './process';

const HEARTBEAT_MS = 15_000;
const JAVA_INSTALL_HINT = 'apt-get install -y openjdk-17-jre-headless (or any Java 17+ runtime on PATH)';

function pomFile(ctx: StackContext): string {
  return path.join(ctx.repoRoot, 'stack', 'kafka-pom.xml');
}

/** The Kafka version pinned in the committed POM (so the cache follows the POM). */
export function kafkaVersion(ctx: StackContext): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(pomFile(ctx), 'utf8'));
  if (!match) throw new StackError(`no <kafka.version> in ${pomFile(ctx)}`);
  return match[1];
}

function installDir(ctx: StackContext): string {
  return path.join(ctx.cacheDir, 'kafka', kafkaVersion(ctx));
}

function libsDir(ctx: StackContext): string {
  return path.join(installDir(ctx), 'libs');
}

/** The broker port (first of KAFKA_BROKERS) and the controller port right after it. */
function kafkaPorts(config: Config): { host: string; broker: number; controller: number } {
  const { host, port } = splitHostPort(config.kafka.brokers[0]);
  return { host, broker: port, controller: port + 1 };
}

function requireJava(): string {
  const java = which('java');
  if (!java) throw new MissingToolError('java (runs the Kafka broker)', JAVA_INSTALL_HINT);
  return java;
}

/** Fetches the broker's jars with Maven into a temp dir; moved into the cache only when complete. */
async function fetchKafkaJars(ctx: StackContext): Promise<void> {
  const mvn = which('mvn');
  if (!mvn)
    throw new MissingToolError('mvn (needed once, to fetch the Kafka jars)', 'apt-get install -y maven');
  const version = kafkaVersion(ctx);
  const out = (text: string) => ctx.out.line('kafka', text);
  const startedAt = Date.now();
  out(`fetching the Kafka ${version} jars from Maven Central with mvn (first run only)`);
  await installAtomically(installDir(ctx), async (tempDir) => {
    const libs = path.join(tempDir, 'libs');
    const result = await runCommand(
      mvn,
      ['-B', '-q', '-f', pomFile(ctx), 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`],
      {
        onLine: (line) => out(`  ${line}`),
        heartbeatMs: HEARTBEAT_MS,
        onHeartbeat: (elapsed) => out(`  ... still fetching (${formatDuration(elapsed)})`),
      },
    );
    if (result.code !== 0) {
      throw new InstallError(
        'mvn dependency:copy-dependencies',
        `exit code ${result.code ?? result.signal}`,
        result.tail,
      );
    }
    const jars = fs.existsSync(libs) ? fs.readdirSync(libs) : [];
    for (const expected of [`kafka_2.13-${version}.jar`, 'slf4j-reload4j-']) {
      if (!jars.some((jar) => jar.startsWith(expected))) {
        throw new InstallError(
          'mvn dependency:copy-dependencies',
          `${expected}* is missing from the fetched jars`,
          [],
        );
      }
    }
    out(`  ${jars.length} jars`);
  });
  out(`Kafka jars installed at ${libsDir(ctx)} (${since(startedAt)})`);
}

function serverProperties(ctx: StackContext, dataDir: string): string {
  const { host, broker, controller } = kafkaPorts(ctx.config);
  return [
    '# Written by the dtx stack manager on every start (edit stack/kafka.ts instead).',
    'node.id=1',
    'process.roles=broker,controller',
    `listeners=PLAINTEXT://${host}:${broker},CONTROLLER://${host}:${controller}`,
    `advertised.listeners=PLAINTEXT://${host}:${broker}`,
    'controller.listener.names=CONTROLLER',
    `controller.quorum.voters=1@${host}:${controller}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${path.join(dataDir, 'data')}`,
    // The relay creates its topics explicitly; auto-created ones get a single partition.
    'num.partitions=1',
    // One broker: internal topics must not ask for more replicas, or consumer groups never get a coordinator.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

const LOG4J_PROPERTIES = [
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  // Keep the "started"/"shutdown" lines in the log.
  'log4j.logger.kafka.server.KafkaRaftServer=INFO',
  'log4j.logger.kafka.Kafka$=INFO',
  '',
].join('\n');

/** A KRaft cluster id: 16 random bytes, base64url; never starting with "-" (it would read as a CLI flag). */
function newClusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the storage once (the cluster id is kept next to it). */
async function formatStorageOnce(
  ctx: StackContext,
  java: string,
  kafkaDir: string,
  propsFile: string,
): Promise<void> {
  if (fs.existsSync(path.join(kafkaDir, 'data', 'meta.properties'))) return;
  const idFile = path.join(kafkaDir, 'cluster-id');
  if (!fs.existsSync(idFile)) fs.writeFileSync(idFile, `${newClusterId()}\n`);
  const clusterId = fs.readFileSync(idFile, 'utf8').trim();
  const startedAt = Date.now();
  const result = await runCommand(java, [
    '-cp',
    `${libsDir(ctx)}/*`,
    `-Dlog4j.configuration=file:${path.join(kafkaDir, 'log4j.properties')}`,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propsFile,
    '--ignore-formatted',
  ]);
  if (result.code !== 0) {
    throw new InstallError(
      `formatting the Kafka storage in ${kafkaDir}`,
      `exit code ${result.code}`,
      result.tail,
    );
  }
  ctx.out.line('kafka', `storage formatted in ${path.join(kafkaDir, 'data')} (${since(startedAt)})`);
}

/** kafkajs settings for a quick probe: the deployment's (SSL/SASL when set), silent, no retries. */
function probeClientConfig(config: Config): KafkaConfig {
  return {
    ...kafkaConfigFrom(config, { clientSuffix: 'stack-probe', logLevel: logLevel.NOTHING }),
    requestTimeout: 5000,
    retry: { retries: 0 },
  };
}

export const kafkaComponent: Component = {
  name: 'kafka',
  readinessTimeoutMs: 120_000,

  address(ctx) {
    return ctx.config.kafka.brokers.join(',');
  },

  managed(ctx) {
    return isLoopback(kafkaPorts(ctx.config).host);
  },

  ports(ctx): PortSpec[] {
    const { host, broker, controller } = kafkaPorts(ctx.config);
    const hint = `KAFKA_BROKERS=${host}:<port> (the controller uses the port after it)`;
    return [
      { host, port: broker, role: 'kafka broker', envVarHint: hint },
      { host, port: controller, role: 'kafka controller', envVarHint: hint },
    ];
  },

  async install(ctx) {
    requireJava();
    if (isInstalled(installDir(ctx))) return;
    await fetchKafkaJars(ctx);
  },

  async start(ctx): Promise<Started> {
    const java = requireJava();
    const kafkaDir = path.join(ctx.dataDir, 'kafka');
    fs.mkdirSync(kafkaDir, { recursive: true });
    const propsFile = path.join(kafkaDir, 'server.properties');
    const log4jFile = path.join(kafkaDir, 'log4j.properties');
    fs.writeFileSync(propsFile, serverProperties(ctx, kafkaDir));
    fs.writeFileSync(log4jFile, LOG4J_PROPERTIES);
    await formatStorageOnce(ctx, java, kafkaDir, propsFile);
    const args = [
      '-Xms256m',
      '-Xmx512m',
      '-cp',
      `${libsDir(ctx)}/*`,
      `-Dlog4j.configuration=file:${log4jFile}`,
      'kafka.Kafka',
      propsFile,
    ];
    const child = spawnDetached(java, args, {
      cwd: kafkaDir,
      env: process.env,
      logFile: logFileOf(ctx, 'kafka'),
    });
    return { pid: child.pid, command: `${java} ${args.join(' ')}`, exited: child.exited };
  },

  async probe(ctx) {
    const admin = new Kafka(probeClientConfig(ctx.config)).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  afterReady() {
    return Promise.resolve(undefined);
  },

  stop(_ctx, record: PidRecord) {
    return stopProcess(record, { graceMs: 30_000, group: true });
  },
};
