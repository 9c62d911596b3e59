/** The API calls of the account page's access tokens, typed with the server's schemas. */
import type { AccessTokenInfo, AccessTokenList, CreateAccessTokenBody, CreatedAccessToken } from '../../../server/modules/auth/token-schemas';
import { api } from '../api/client';

export type { AccessTokenInfo };

export const fetchAccessTokens = (signal?: AbortSignal) => api.get<AccessTokenList>('/api/account/tokens', { signal });

/** The token comes back this once. */
export const createAccessToken = (body: CreateAccessTokenBody) => api.post<CreatedAccessToken>('/api/account/tokens', body);

export const revokeAccessToken = (id: number) => api.delete<void>(`/api/account/tokens/${id}`);
