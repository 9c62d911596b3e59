import type pg from 'pg';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { hashPassword } from '../../server/modules/auth/password.js';

/** The demo accounts (not the demo district) in a database cloned from the `empty` template, so that `loginAs` works there. */
export async function addStaffAccounts(pool: pg.Pool): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    await pool.query(
      `INSERT INTO app_user (username, display_name, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING`,
      [account.username, account.displayName, account.role, await hashPassword(account.password)],
    );
  }
}
