# syntax=docker/dockerfile:1
# The capacity service. Build from the repository root: docker build -t handoff-capacity .

# Build stage: the whole workspace with its devDependencies (TypeScript), compiled to services/capacity/dist.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/capacity/package.json services/capacity/
COPY services/local-org/package.json services/local-org/
COPY services/schema/package.json services/schema/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY services/capacity/ services/capacity/
RUN npm run build

# Runtime stage: the production dependencies of the capacity workspace and the compiled service, nothing else.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/capacity/package.json services/capacity/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev -w @handoff/capacity --no-audit --no-fund
COPY --from=build /app/services/capacity/dist services/capacity/dist
USER node
# The authenticated API (PORT or HANDOFF_SERVICE_PORT) and the probe listener (HANDOFF_PROBE_PORT).
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HANDOFF_PROBE_PORT || 8081) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "services/capacity/dist/serve.js"]
