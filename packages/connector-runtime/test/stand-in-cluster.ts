import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { WebSocketServer } from 'ws';

/**
 * NOT Kubernetes: a stand-in for the few API server calls the kubernetes runtime makes, running each "Pod"
 * as a local process of `entryPoints[image]`, so that the runtime's own code (client calls, the attach
 * protocol's frames, the gate, stopping through the active deadline, exit codes) runs in CI, where no
 * cluster can. What it assumes of Kubernetes is written down here and is only as right as these comments:
 * - a container starts once its Pod's Secret volume exists; stdin stays open for one attach (stdinOnce);
 * - an attach speaks v5.channel.k8s.io: binary frames whose first byte is the stream (0 stdin, 1 stdout,
 *   2 stderr, 255 close + stream), and the connection closes once the container has exited;
 * - a Pod past its activeDeadlineSeconds gets SIGTERM, then SIGKILL after terminationGracePeriodSeconds,
 *   and keeps its status; a container ended by signal n reports exit code 128 + n;
 * - a container whose main process exits takes every process of the container with it.
 */
export interface StandInCluster {
  kubeConfig: KubeConfig;
  /** Pods and Secrets alive now (the runtime must delete both after every run). */
  objects(): { pods: string[]; secrets: string[] };
  close(): Promise<void>;
}

interface Container {
  pod: V1Pod;
  dir: string;
  child?: ChildProcess;
  exitCode?: number;
  waiting?: string;
}

export async function startStandInCluster(entryPoints: Record<string, string>): Promise<StandInCluster> {
  const pods = new Map<string, Container>();
  const secrets = new Set<string>();
  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => reply(response, 500, { message: String(error) }));
  });
  const attach = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => offered.has('v5.channel.k8s.io') && 'v5.channel.k8s.io',
  });

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const [, kind, name, sub] =
      /^\/api\/v1\/namespaces\/[^/]+\/(pods|secrets)(?:\/([^/]+))?(?:\/(\w+))?$/.exec(url.pathname) ?? [];
    const body =
      request.method === 'POST' || request.method === 'PATCH' ? JSON.parse(await text(request)) : undefined;
    const container = name ? pods.get(name) : undefined;
    if (kind === 'pods' && request.method === 'GET' && !name)
      return reply(response, 200, { kind: 'PodList', items: [] });
    if (kind === 'pods' && request.method === 'POST') return reply(response, 201, createPod(body));
    if (kind === 'secrets' && request.method === 'POST') return reply(response, 201, createSecret(body));
    if (kind === 'secrets' && request.method === 'DELETE')
      return reply(response, secrets.delete(name as string) ? 200 : 404, {});
    if (!container) return reply(response, 404, { reason: 'NotFound' });
    if (request.method === 'GET' && sub === 'log') return reply(response, 200, '');
    if (request.method === 'GET') return reply(response, 200, withStatus(container));
    if (request.method === 'PATCH') {
      if (request.headers['content-type'] !== 'application/json-patch+json') return reply(response, 415, {});
      if (body?.[0]?.path === '/spec/activeDeadlineSeconds') pastDeadline(container);
      return reply(response, 200, withStatus(container));
    }
    if (request.method === 'DELETE') {
      killGroup(container, 'SIGKILL');
      pods.delete(name as string);
      rmSync(container.dir, { recursive: true, force: true });
      return reply(response, 200, {});
    }
    return reply(response, 405, {});
  }

  function createPod(pod: V1Pod): V1Pod {
    const name = pod.metadata?.name as string;
    const image = pod.spec?.containers[0]?.image as string;
    pod.metadata = { ...pod.metadata, uid: `uid-${name}` };
    const container: Container = { pod, dir: mkdtempSync(join(tmpdir(), 'stand-in-pod-')) };
    if (!entryPoints[image]) container.waiting = 'ErrImagePull';
    pods.set(name, container);
    return pod;
  }

  /** The Pod's Secret volume now exists: its container starts. */
  function createSecret(secret: { metadata: { name: string }; stringData: Record<string, string> }) {
    secrets.add(secret.metadata.name);
    const container = pods.get(secret.metadata.name);
    if (!container || container.waiting) return secret;
    for (const [file, content] of Object.entries(secret.stringData))
      writeFileSync(join(container.dir, file), content);
    const spec = container.pod.spec?.containers[0];
    const local =
      container.pod.spec?.volumes?.find((v) => v.name === 'local')?.hostPath?.path ?? container.dir;
    const env = Object.fromEntries(
      (spec?.env ?? []).map((e) => [e.name, e.name === 'LOCAL_ROOT' ? local : e.value]),
    );
    const args = (spec?.args ?? []).map((a) => a.replace(/^\/config\//, `${container.dir}/`));
    const child = spawn(process.execPath, [entryPoints[spec?.image as string] as string, ...args], {
      env: { PATH: process.env.PATH, ...env },
      detached: true,
    });
    container.child = child;
    child.on('exit', (code, signal) => {
      container.exitCode = code ?? 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
      killGroup(container, 'SIGKILL'); // the container's other processes go with its main one
    });
    return secret;
  }

  function pastDeadline(container: Container) {
    killGroup(container, 'SIGTERM');
    const grace = (container.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    setTimeout(() => killGroup(container, 'SIGKILL'), grace).unref();
  }

  server.on('upgrade', (request, socket, head) => {
    const name = /\/pods\/([^/]+)\/attach/.exec(request.url ?? '')?.[1];
    const child = name ? pods.get(name)?.child : undefined;
    if (!child) return socket.destroy();
    attach.handleUpgrade(request, socket, head, (ws) => {
      const frame = (stream: number) => (data: Buffer) =>
        ws.send(Buffer.concat([Buffer.from([stream]), data]));
      child.stdout?.on('data', frame(1));
      child.stderr?.on('data', frame(2));
      child.stdin?.on('error', () => {}); // EPIPE once it has exited
      // Like a kubelet copying into the container's stdin pipe: no reading on while the pipe is full.
      let gone = false;
      ws.on('message', (data: Buffer) => {
        if (gone) return;
        if (data[0] === 0 && child.stdin && !child.stdin.write(data.subarray(1))) {
          ws.pause();
          child.stdin.once('drain', () => ws.resume());
        }
        if (data[0] === 255 && data[1] === 0) child.stdin?.end();
      });
      child.on('close', () => {
        gone = true;
        ws.resume();
        ws.close();
      });
    });
  });

  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'stand-in', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'runner', token: 'stand-in' }],
    contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'runner', namespace: 'ferry-test' }],
    currentContext: 'stand-in',
  });
  return {
    kubeConfig,
    objects: () => ({ pods: [...pods.keys()], secrets: [...secrets] }),
    close: () => closeAll(server, pods),
  };
}

function withStatus({ pod, child, exitCode, waiting }: Container): V1Pod {
  const state =
    exitCode !== undefined
      ? { terminated: { exitCode } }
      : waiting
        ? { waiting: { reason: waiting, message: 'stand-in: no such image' } }
        : child
          ? { running: {} }
          : { waiting: { reason: 'ContainerCreating' } };
  const status = { name: 'connector', state, image: '', imageID: '', ready: false, restartCount: 0 };
  return { ...pod, status: { containerStatuses: [status] } };
}

function killGroup({ child }: Container, signal: NodeJS.Signals) {
  try {
    if (child?.pid) process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

async function text(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

function reply(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function closeAll(server: Server, pods: Map<string, Container>) {
  for (const container of pods.values()) killGroup(container, 'SIGKILL');
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
