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

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why the request is refused as cross-site, or null when it may proceed. */
export function crossSiteRefusal(request: FastifyRequest): string | null {
  if (!STATE_CHANGING.has(request.method)) return null;
  const fetchSite = headerValue(request.headers['sec-fetch-site']);
  if (fetchSite !== undefined) {
    const site = fetchSite.toLowerCase();
    if (site === 'same-origin' || site === 'none') return null;
    return `a ${request.method} from another site (Sec-Fetch-Site: ${site}) is refused`;
  }
  const origin = headerValue(request.headers.origin);
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return `a ${request.method} from an unknown origin (${origin.slice(0, 100)}) is refused`;
  }
  if (originHost !== '' && originHost === request.host.toLowerCase()) return null;
  return `a ${request.method} from another site (Origin: ${origin.slice(0, 100)}) is refused`;
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
