import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';

export const FIXTURE_IMAGE = 'ferry/fixture-connector:test';
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const buildImagesScript = fileURLToPath(new URL('../../../scripts/build-images.sh', import.meta.url));
const HASH_LABEL = 'ferry.content-hash';
const SOURCES = ['Dockerfile', 'connector.ts'];

/** Whether a Docker engine answers; the Docker tests skip (saying why) when none does. */
export async function dockerAnswers(docker = new Docker()): Promise<boolean> {
  return docker.ping().then(
    () => true,
    () => false,
  );
}

/**
 * Builds the fixture connector image on top of ferry/node-base:24 (which build-images.sh builds first), unless
 * an image of the same sources exists already.
 */
export async function ensureFixtureImage(docker = new Docker()): Promise<void> {
  await promisify(execFile)(buildImagesScript, ['base']);
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(readFileSync(`${fixtures}${file}`));
  const digest = hash.digest('hex');
  const existing = await docker
    .getImage(FIXTURE_IMAGE)
    .inspect()
    .catch(() => undefined);
  if (existing?.Config.Labels?.[HASH_LABEL] === digest) return;
  const progress = await docker.buildImage(
    { context: fixtures, src: SOURCES },
    { t: FIXTURE_IMAGE, labels: { [HASH_LABEL]: digest } },
  );
  const output = await new Promise<{ error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(progress, (err, res) => (err ? reject(err) : resolve(res))),
  );
  const failure = output.find((line) => line.error);
  if (failure) throw new Error(`building ${FIXTURE_IMAGE} failed: ${failure.error}`);
}
