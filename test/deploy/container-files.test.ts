import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Cheap text checks on the container recipe: the invariants an edit could silently break.
const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ');
const compose = readFileSync('compose.yaml', 'utf8');
const dockerignore = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim());
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };

const instructions = dockerfile.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const finalStage = instructions.slice(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
const all = (keyword: string) => finalStage.filter((l) => l.startsWith(`${keyword} `)).map((l) => l.slice(keyword.length + 1).trim());
const env = Object.fromEntries(all('ENV').flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])));

describe('Dockerfile', () => {
  it('is multi-stage and installs production dependencies only, which must include tsx (the app runs TypeScript)', () => {
    expect(instructions.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(pkg.dependencies).toHaveProperty('tsx');
    expect(dockerfile).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
  });

  it('runs as a non-root user', () => {
    const users = all('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('starts `serve` in exec form, so node itself receives docker stop\'s SIGTERM', () => {
    const cmd = all('CMD').at(-1)!;
    expect(JSON.parse(cmd)).toEqual(['node', 'bin/lead-triage.js', 'serve']);
    expect(all('ENTRYPOINT')).toEqual([]);
  });

  it('checks health on /healthz with node (slim images have no curl)', () => {
    const check = all('HEALTHCHECK').at(-1)!;
    expect(check).toMatch(/CMD \["node"/);
    expect(check).toContain('/healthz');
  });

  it('keeps the database on the volume and listens on every interface inside the container', () => {
    const volumes = all('VOLUME');
    expect(volumes).toContain('/data');
    expect(env.DATABASE_PATH).toMatch(/^\/data\/[^/]+\.sqlite$/);
    expect(env.HOST).toBe('0.0.0.0');
    expect(all('EXPOSE')).toContain(env.PORT ?? '3000');
  });
});

describe('compose.yaml', () => {
  it('publishes the port on loopback only', () => {
    const ports = [...compose.matchAll(/^\s*-\s*"?([\d.:]+:\d+)"?\s*$/gm)].map((m) => m[1]);
    expect(ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('pins the database path to the named volume, whatever .env says', () => {
    expect(compose).toMatch(/env_file: \.env/);
    expect(compose).toMatch(/DATABASE_PATH: \/data\/lead-triage\.sqlite/);
    expect(compose).toMatch(/HOST: 0\.0\.0\.0/);
    expect(compose).toMatch(/-\s*[\w-]+:\/data\s*$/m);
    expect(compose).toMatch(/\.\/data\/policy\.json:\/app\/data\/policy\.json:ro/);
    expect(compose).toMatch(/restart: unless-stopped/);
  });
});

describe('.dockerignore and the start script', () => {
  it('keeps dependencies, secrets and local databases out of the image', () => {
    for (const entry of ['node_modules', '.env', '.git', 'data/*.sqlite', 'data/*.sqlite-*']) expect(dockerignore).toContain(entry);
  });

  it('npm start replaces its shell with node, so npm\'s forwarded SIGTERM reaches the server', () => {
    expect(pkg.scripts.start).toBe('exec node bin/lead-triage.js serve');
  });
});
