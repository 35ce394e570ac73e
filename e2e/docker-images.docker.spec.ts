// The lava images through real nx and a real engine: FAKE OS folders
// (e2e/fixtures/docker, from the local Debian base image) built with the real
// Dockerfile and common scripts, FAKE Instant Client zips from a FAKE download
// site, ECR played by moto's server. Skips without an engine, fails in CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { GetLifecyclePolicyCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeOracleSite, startFakeDownloadServer, type FakeDownloadServer } from '../tools/executors/src/testing/fake-instant-client';
import { startMoto, type Moto } from '../tools/executors/src/testing/moto';
import { engineEnv, registryManifest, skipDockerTests } from './support/docker';
import { runNxAsync } from './support/nx-async';
import { cacheStatus, copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const FIXTURE_ROOT = 'e2e/fixtures/docker';
const OS = 'fakedebian13';
const VERSION = JSON.parse(readFileSync(`${WORKSPACE_ROOT}/packages/lava/lava/VERSION.json`, 'utf8')).__version_num__ as string;
const skip = skipDockerTests();

async function blob(repository: string, digest: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:5001/v2/${repository}/blobs/${digest}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Platforms of an index and the config labels of each of its images. */
async function inspectIndex(repository: string, reference: string) {
  const index = await registryManifest(repository, reference);
  if (!index) return undefined;
  const body = index.body as { manifests?: { digest: string; platform: { os: string; architecture: string } }[]; annotations?: Record<string, string> };
  const images = [];
  for (const m of body.manifests ?? []) {
    const image = (await registryManifest(repository, m.digest))?.body as unknown as { config: { digest: string }; annotations?: Record<string, string> };
    const config = (await blob(repository, image.config.digest)) as { architecture: string; config: { Labels?: Record<string, string> } };
    images.push({ platform: `${m.platform.os}/${m.platform.architecture}`, labels: config.config.Labels ?? {}, annotations: image.annotations ?? {} });
  }
  return { digest: index.digest, annotations: body.annotations ?? {}, images };
}

describe.skipIf(skip)('docker-<os> images (fake OS folders, real engine)', () => {
  let ws: TempWorkspace;
  let site: FakeDownloadServer;
  let moto: Moto;
  let env: Record<string, string>;
  const nx = (args: string[], extra: Record<string, string | undefined> = {}) => runNxAsync(ws.root, args, { ...env, ...extra });

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-images' });
    const nxJson = ws.path('nx.json');
    const text = readFileSync(nxJson, 'utf8');
    const pointed = text.replace('"dockerRoot": "packages/docker"', `"dockerRoot": "${FIXTURE_ROOT}"`);
    if (pointed === text) throw new Error('nx.json has no docker-images plugin dockerRoot option to point at the fixtures');
    writeFileSync(nxJson, pointed);
    env = engineEnv();
    site = await startFakeDownloadServer();
    site.setFiles(await fakeOracleSite('23.8'), new Date('2026-01-10T08:00:00Z'));
    moto = await startMoto(WORKSPACE_ROOT);
    const sync = await nx(['run', 'oracle:sync', `--baseUrl=${site.url}`]);
    if (sync.exitCode !== 0) throw new Error(sync.output);
  });
  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    ws?.remove();
  });

  it('builds base then full for both platforms, pushed with both tags, labelled, digests recorded', async () => {
    const build = await nx(['run', `docker-${OS}:build`]);
    expect(build.exitCode, build.output).toBe(0);
    for (const type of ['base', 'full'] as const) {
      const record = JSON.parse(readFileSync(ws.path(`dist/docker/${OS}/${type}.json`), 'utf8'));
      const pushed = await inspectIndex(`lava/${OS}/${type}`, VERSION);
      expect(pushed?.digest).toBe(record.digest);
      expect((await registryManifest(`lava/${OS}/${type}`, 'latest'))?.digest).toBe(record.digest);
      expect(pushed?.images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      for (const image of pushed?.images ?? []) {
        // make's labels: title, description and IMAGE_ATTRS; its annotations: the description and IMAGE_ATTRS.
        expect(image.labels['org.opencontainers.image.title']).toBe(`Lava ${type} (${OS})`);
        expect(image.labels['org.opencontainers.image.description']).toMatch(type === 'base' ? /^Base installation of lava, without/ : /^Full installation of lava, including/);
        expect(image.labels['org.opencontainers.image.licenses']).toBe('BSD-3-Clause');
        expect(image.labels['org.opencontainers.image.source']).toBe('https://github.com/jin-gizmo/lava');
        expect(image.annotations['org.opencontainers.image.description']).toBe(image.labels['org.opencontainers.image.description']);
        expect(image.annotations['org.opencontainers.image.title']).toBeUndefined();
      }
      expect(pushed?.annotations['org.opencontainers.image.documentation']).toBe('https://jin-gizmo.github.io/lava');
    }
  });

  it('a second build is a cache hit for both images', async () => {
    const again = await nx(['run', `docker-${OS}:build`]);
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, `docker-${OS}:build-base`)).toBe('local');
    expect(cacheStatus(again.output, `docker-${OS}:build-full`)).toBe('local');
  });

  it('check runs common/img-check.sh per platform and type: one line per check, one summary each', async () => {
    const check = await nx(['run', `docker-${OS}:check`]);
    expect(check.exitCode, check.output).toBe(0);
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      for (const type of ['base', 'full']) {
        expect(check.output).toContain(`✔ ${OS} ${type} ${platform}: localhost:5001/lava/${OS}/${type} (${platform}): all checks passed`);
      }
    }
    expect(check.output).toContain(`✔ lava: lava ${VERSION}`);
    expect(check.output).toContain('✔ sqlplus: SQL*Plus: Release 23.8');
    expect(check.output).toContain('✔ arch: aarch64');
  });

  it('an Oracle zip change rebuilds full but not base', async () => {
    site.setFiles(await fakeOracleSite('23.9'), new Date('2026-03-02T09:30:00Z'));
    const sync = await nx(['run', 'oracle:sync', `--baseUrl=${site.url}`]);
    expect(sync.exitCode, sync.output).toBe(0);
    const build = await nx(['run', `docker-${OS}:build`]);
    expect(build.exitCode, build.output).toBe(0);
    expect(cacheStatus(build.output, `docker-${OS}:build-base`)).toBe('local');
    expect(cacheStatus(build.output, `docker-${OS}:build-full`)).toBe('miss');
    const check = await nx(['run', `docker-${OS}:check`, '--types=full', '--platforms=linux/amd64']);
    expect(check.output).toContain('✔ sqlplus: SQL*Plus: Release 23.9');
  });

  it('check names the failing check and platform of an image whose lava CLI is broken', async () => {
    const check = await nx(['run', 'docker-fakebroken13:check']);
    expect(check.exitCode).not.toBe(0);
    expect(check.output).toContain('✖ lava: exit 1: lava CLI broken on purpose');
    expect(check.output).toContain('✖ fakebroken13 base linux/arm64: localhost:5001/lava/fakebroken13/base (linux/arm64): 1 check(s) failed');
    expect(check.output).toMatch(
      /✖ docker-fakebroken13:check: image check failed for fakebroken13: base on linux\/amd64, full on linux\/amd64, base on linux\/arm64, full on linux\/arm64; run: /,
    );
  });

  it('push copies both platforms and both tags to another registry path', async () => {
    const push = await nx(['run', `docker-${OS}:push`, '--registry=localhost:5001', '--prefix=mirror']);
    expect(push.exitCode, push.output).toBe(0);
    for (const type of ['base', 'full']) {
      const source = await registryManifest(`lava/${OS}/${type}`, VERSION);
      for (const tag of [VERSION, 'latest']) {
        const copy = await inspectIndex(`mirror/lava/${OS}/${type}`, tag);
        expect(copy?.digest).toBe(source?.digest);
        expect(copy?.images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      }
    }
  });

  it('push names the registry that refused it', async () => {
    const push = await nx(['run', `docker-${OS}:push`, '--registry=127.0.0.1:9', '--prefix=x']);
    expect(push.exitCode).not.toBe(0);
    expect(push.output).toMatch(/✖ docker-fakedebian13:push: 127\.0\.0\.1:9 refused the push of 127\.0\.0\.1:9\/x\/lava\/fakedebian13\/base; run: docker login 127\.0\.0\.1:9/);
  });

  it('ecr-repo creates both repositories with the lifecycle policy in moto, idempotently', async () => {
    for (let i = 0; i < 2; i++) {
      const repo = await nx(['run', `docker-${OS}:ecr-repo`, `--endpoint=${moto.endpoint}`], moto.env);
      expect(repo.exitCode, repo.output).toBe(0);
    }
    const ecr = new ECRClient({ endpoint: moto.endpoint, region: moto.env.AWS_REGION, credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY } });
    const names = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.map((r) => r.repositoryName).sort();
    expect(names).toEqual([`dist/lava/${OS}/base`, `dist/lava/${OS}/full`]);
    for (const name of names ?? []) {
      const policy = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }));
      expect(JSON.parse(policy.lifecyclePolicyText ?? '{}')).toEqual(JSON.parse(readFileSync(ws.path(FIXTURE_ROOT, 'lifecycle.json'), 'utf8')));
    }
  });

  it('ecr-push logs in with the token and copies the images, never printing the token', async () => {
    const push = await nx(['run', `docker-${OS}:ecr-push`, `--endpoint=${moto.endpoint}`, '--registry=localhost:5001'], moto.env);
    expect(push.exitCode, push.output).toBe(0);
    const ecr = new ECRClient({ endpoint: moto.endpoint, region: moto.env.AWS_REGION, credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY } });
    const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.authorizationToken ?? '';
    const password = Buffer.from(token, 'base64').toString().split(':')[1];
    expect(password.length).toBeGreaterThan(3);
    expect(push.output).not.toContain(password);
    expect(push.output).not.toContain(token);
    expect((await inspectIndex(`dist/lava/${OS}/full`, VERSION))?.images.length).toBe(2);
  });

  it('fails in one line: no AWS credentials, no Oracle zips, unknown OS', async () => {
    const noCreds = await nx(['run', `docker-${OS}:ecr-repo`, `--endpoint=${moto.endpoint}`], {
      AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
      AWS_REGION: 'eu-west-1', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(noCreds.exitCode).not.toBe(0);
    expect(noCreds.output).toMatch(/✖ docker-fakedebian13:ecr-repo: no AWS credentials for creating ECR repository dist\/lava\/fakedebian13\/base; run: aws configure/);

    const noZips = await nx(['run', `docker-${OS}:build-full`, '--oracleDir=external-packages/nothing-here']);
    expect(noZips.exitCode).not.toBe(0);
    expect(noZips.output).toMatch(/✖ docker-fakedebian13:build-full: no Oracle Instant Client zips for the full image: .* missing in .*; run: npx nx run oracle:sync/);

    const unknown = await nx(['run', `docker-${OS}:check`, '--os=nosuchos']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.output).toMatch(/✖ docker-fakedebian13:check: unknown OS "nosuchos"; known: fakebroken13, fakedebian13; run: ls e2e\/fixtures\/docker\/os/);
  });
});
