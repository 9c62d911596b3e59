import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { BasemapInfo } from '../basemap/basemap-store.js';
import { BasemapInfoSchema } from '../basemap/schemas.js';

export const ClientConfig = Type.Object({
  demoMode: Type.Boolean(),
  basemap: Type.Object({
    /** The Tianditu key is sent to browsers by design: tile requests carry it as `tk`. */
    tiandituKey: Type.Union([Type.String(), Type.Null()]),
    styleUrl: Type.Union([Type.String(), Type.Null()]),
    /** The offline basemap file an admin installed (served by /api/basemap/tiles), or null. */
    installed: Type.Union([BasemapInfoSchema, Type.Null()]),
  }),
});
export type ClientConfig = Static<typeof ClientConfig>;

export type StaticClientConfig = Omit<ClientConfig, 'basemap'> & { basemap: Omit<ClientConfig['basemap'], 'installed'> };

export const clientConfigRoutes: FastifyPluginAsyncTypebox<{ config: StaticClientConfig; installedBasemap: () => Promise<BasemapInfo | null> }> = async (
  app,
  { config, installedBasemap },
) => {
  app.get(
    '/api/config',
    {
      config: { access: { public: true } },
      schema: { tags: ['config'], summary: 'What the web app needs to know at start', response: { 200: ClientConfig } },
    },
    async () => ({ ...config, basemap: { ...config.basemap, installed: await installedBasemap() } }),
  );
};
