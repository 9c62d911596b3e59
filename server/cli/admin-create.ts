/**
 * `npm run admin:create -- --username NAME [--display-name NAME] [--force]`: an admin account
 * for scripted installs, against the database `npm start` uses (whether or not Wangge runs).
 * The password comes from a hidden prompt on a terminal, else from the first line of standard
 * input; never from an argument (it would land in the shell history and the process list).
 * Refused when an active admin exists, unless --force. Audited as `setup.admin_create`.
 */
import { parseArgs } from 'node:util';
import { createAuditRepository } from '../modules/audit/audit-repository.js';
import { hashPassword } from '../modules/auth/password.js';
import { passwordProblem } from '../modules/auth/password-policy.js';
import { createAdmin } from '../modules/setup/setup-repository.js';
import { openDatabase, runCli } from './open-database.js';

const USAGE = 'Usage: npm run admin:create -- --username NAME [--display-name NAME] [--force]  (password on a prompt or standard input)';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      force: { type: 'boolean', default: false },
      password: { type: 'string' },
    },
  });
  if (values.password !== undefined) throw new Error('--password is not accepted: type the password at the prompt or pipe it on standard input');
  const username = values.username?.trim();
  if (!username) throw new Error(USAGE);
  if (!/^[a-zA-Z0-9_.-]{3,64}$/.test(username)) throw new Error(`--username: ${username} is not 3–64 letters, digits, '_', '.' or '-'`);
  const displayName = (values['display-name'] ?? username).trim();
  if (!displayName || displayName.length > 100) throw new Error('--display-name: give 1–100 characters');

  const password = process.stdin.isTTY ? await promptTwice() : await firstLineOfStdin();
  if (!password) throw new Error('No password given: type it at the prompt or pipe it on standard input');
  const problem = passwordProblem(password);
  if (problem) throw new Error(`Password refused: ${problem}`);
  if (password.toLowerCase().includes(username.toLowerCase())) throw new Error('Password refused: the password must not contain the username');

  const database = await openDatabase();
  try {
    const audit = createAuditRepository(database.pool);
    const result = await createAdmin(
      database.pool,
      audit,
      { username, displayName, passwordHash: await hashPassword(password) },
      { force: values.force, action: 'setup.admin_create', ip: null, via: 'command line' },
    );
    if (!result.created) {
      if (result.reason === 'username_taken') throw new Error(`Refused: the username ${username} is taken; nothing was changed.`);
      await audit.record({ actorUserId: null, actorUsername: username, action: 'setup.admin_create', ip: null, success: false, detail: { via: 'command line', reason: result.reason } });
      throw new Error('Refused: an administrator already exists; nothing was changed. Add --force to create another one.');
    }
    const where = database.config.DATABASE_URL ? 'the database of DATABASE_URL' : 'the local database';
    console.log(`Created administrator ${username} (${displayName}) in ${where}.`);
    console.log('Log in at /login (outside demo mode Wangge first asks the administrator to set up two-step verification).');
  } finally {
    await database.close();
  }
});

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function promptTwice(): Promise<string> {
  const first = await promptHidden('Password for the new administrator: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new Error('The two passwords differ; nothing was changed.');
  return first;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('Cancelled; nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
