import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from './access-plugin.js';

/** Sets the session cookie as login does: httpOnly, SameSite=Strict, for the session's lifetime. */
export function setSessionCookie(reply: FastifyReply, token: string, options: { secure: boolean; absoluteHours: number }) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secure,
    maxAge: options.absoluteHours * 3600,
  });
}
