# lead-triage as a container: `node bin/lead-triage.js serve` as a non-root user, SQLite on a volume.
# NODE_IMAGE is an argument only so a mirror or a pinned digest can be used; both stages must share it
# (better-sqlite3 is a native module compiled for that exact Node and libc).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# Build tools for better-sqlite3: npm compiles it with node-gyp when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. tsx stays: it is a runtime dependency, the app runs its TypeScript sources
# directly (bin/lead-triage.js registers it), so there is no build step and no compiled output.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/lead-triage.sqlite
WORKDIR /app
# Code and node_modules stay owned by root: the app user can read them, not change them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY blocks ./blocks
COPY prompts ./prompts
COPY data ./data
# The volume's mount point must exist and belong to the app user before VOLUME, so a new named volume
# is created writable for it.
RUN mkdir -p /data && chown node:node /data
# `node` (uid 1000) is the unprivileged user the official Node images ship.
USER node
VOLUME /data
EXPOSE 3000
# Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives `docker stop`'s SIGTERM itself (serve stops cleanly on it).
CMD ["node", "bin/lead-triage.js", "serve"]
