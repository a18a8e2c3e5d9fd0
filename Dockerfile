# syntax=docker/dockerfile:1

# Build stage: full dependencies, compile TypeScript (with the OpenAPI plugin).
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and the compiled service only.
FROM node:24.22.3-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional: the only optional dependencies are the Node binaries that
# bring Node 24 to npm scripts on machines without it; the image has its own.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Liveness only: readiness (database reachable) is for the orchestrator's traffic decisions.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
