/** No Docker engine runs here: read the deployment files and check they say what they must. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.js';

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'));

  it('runs PostGIS (with pgRouting) with a named volume and the app built from the Dockerfile', () => {
    // PostGIS 3.x; with pgRouting for the walking network (the pgrouting image is PostGIS + pgRouting).
    expect(compose.services.db.image).toMatch(/^(postgis\/postgis:\d+-3\.\d+|pgrouting\/pgrouting:\d+-3\.\d+-3\.\d+)/);
    const [volume] = String(compose.services.db.volumes[0]).split(':');
    expect(compose.volumes).toHaveProperty(volume!);
    expect(compose.services.app.build).toBe('.');
    // Migrations as the owner; the app serves as a plain role of its own.
    expect(compose.services.app.environment.DATABASE_OWNER_URL).toMatch(/^postgres:\/\/wangge:.*@db:5432\/wangge$/);
    expect(compose.services.app.environment.DATABASE_URL).toMatch(/^postgres:\/\/wangge_app:.*@db:5432\/wangge$/);
    expect(compose.services.app.depends_on.db.condition).toBe('service_healthy');
  });

  it('refers to a Dockerfile whose start command exists', () => {
    const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    const cmd = /CMD \[(.*)\]/.exec(dockerfile)![1]!;
    const entry = JSON.parse(`[${cmd}]`).find((part: string) => part.endsWith('.ts'));
    expect(fs.existsSync(path.join(repoRoot, entry))).toBe(true);
    for (const copied of dockerfile.matchAll(/^COPY (?!--)(\S+)/gm)) {
      for (const source of copied[1]!.split(' ')) if (!source.startsWith('/')) expect(fs.existsSync(path.join(repoRoot, source)), source).toBe(true);
    }
  });
});

describe('GDAL for the imports', () => {
  it('is installed by the Docker image and by CI', () => {
    const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends gdal-bin/);
    // Installed before the image drops to the unprivileged user.
    expect(runtime.indexOf('gdal-bin')).toBeLessThan(runtime.indexOf('USER node'));
    expect(fs.readFileSync(path.join(repoRoot, '.ci/run'), 'utf8')).toMatch(/need\+=\(gdal-bin\)/);
  });
});
