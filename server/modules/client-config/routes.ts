import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';

export const ClientConfig = Type.Object({
  demoMode: Type.Boolean(),
  basemap: Type.Object({
    /** The Tianditu key is sent to browsers by design: tile requests carry it as `tk`. */
    tiandituKey: Type.Union([Type.String(), Type.Null()]),
    styleUrl: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type ClientConfig = Static<typeof ClientConfig>;

export const clientConfigRoutes: FastifyPluginAsyncTypebox<{ config: ClientConfig }> = async (app, { config }) => {
  app.get(
    '/api/config',
    {
      config: { access: { public: true } },
      schema: { tags: ['config'], summary: 'What the web app needs to know at start', response: { 200: ClientConfig } },
    },
    async () => config,
  );
};
