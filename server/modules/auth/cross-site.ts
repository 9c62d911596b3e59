/**
 * Cross-site request forgery: a state-changing request (POST, PUT, PATCH, DELETE) that a browser
 * sends on behalf of another site is refused, whatever cookie it carries. SameSite=Strict cookies
 * are the first line; this is the second, for browsers and cases where SameSite does not hold.
 *
 * - `Sec-Fetch-Site` (every current browser sends it): only `same-origin` and `none` (typed in
 *   the address bar, a bookmark) pass; `same-site` (a sibling sub-domain) and `cross-site` do not.
 * - Otherwise `Origin` (older browsers): it must name this server's own host (the Host header,
 *   or X-Forwarded-Host when the app trusts a proxy). A proxy in front must pass the Host through
 *   (nginx: `proxy_set_header Host $host;`).
 * - Neither header: not a browser's cross-site request (curl, scripts, QGIS): passes, and the
 *   session cookie and role checks apply as usual.
 */
import type { FastifyRequest } from 'fastify';
import type { RefusalCode, RefusalParams } from '../../shared/refusals.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why the request is refused as cross-site (a catalogue code and its parameters), or null when it may proceed. */
export function crossSiteRefusal(request: FastifyRequest): { code: RefusalCode; params: RefusalParams } | null {
  if (!STATE_CHANGING.has(request.method)) return null;
  const fetchSite = headerValue(request.headers['sec-fetch-site']);
  if (fetchSite !== undefined) {
    const site = fetchSite.toLowerCase();
    if (site === 'same-origin' || site === 'none') return null;
    return { code: 'auth.crossSite', params: { method: request.method, header: 'Sec-Fetch-Site', value: site } };
  }
  const origin = headerValue(request.headers.origin);
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return { code: 'auth.unknownOrigin', params: { method: request.method, origin: origin.slice(0, 100) } };
  }
  if (originHost !== '' && originHost === request.host.toLowerCase()) return null;
  return { code: 'auth.crossSite', params: { method: request.method, header: 'Origin', value: origin.slice(0, 100) } };
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
