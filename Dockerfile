# Wangge for a real deployment: the app against an external PostGIS (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json vite.config.ts ./
COPY web ./web
COPY server ./server
RUN npx vite build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# GDAL (ogr2ogr, ogrinfo) reads every imported file: Shapefile, GeoJSON, KML/KMZ, GeoPackage, …
# Noto Sans CJK: the font the map label glyphs are built from (/api/glyphs).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript server directly; the dev tools (vite, vitest, tsc) stay out.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server ./server
COPY data ./data
COPY --from=build /app/web/dist ./web/dist
# Installed basemap files and built glyph ranges (BASEMAP_DIR, GLYPHS_DIR): mount a volume here to keep them.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["npx", "tsx", "server/server.ts"]
