/**
 * `npm run account -- <username> <role> <actor id> [land|kommune]`: adds a local account to the configured
 * database (the embedded default has no other way to sign in until an identity provider is configured). The
 * password comes from LOTSE_ACCOUNT_PASSWORD, or a fresh one is generated and printed once.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/configuration.js';
import { PARTNER_SIDES, type PartnerSide } from '../../workflows/contract-review/contract.js';
import { createApp } from '../app.js';
import { LotseError } from '../common/errors.js';
import { AccountsService } from './accounts.service.js';
import { isRole, ROLES } from './policy.js';

async function main(): Promise<number> {
  const [username, role, actorId, partner] = process.argv.slice(2);
  if (
    !username ||
    !isRole(role) ||
    !actorId ||
    (partner !== undefined && !PARTNER_SIDES.includes(partner as PartnerSide))
  ) {
    console.error(`usage: npm run account -- <username> <${ROLES.join('|')}> <actor id> [land|kommune]`);
    console.error(
      '  actor id: district koeln/<clerk>; moderator or participant: the Lotse person id; contract_admin: the id contracts name',
    );
    return 64;
  }
  process.env.LOTSE_QUIET ??= '1';
  const config = loadConfig();
  const app = await createApp({ config, scheduler: false });
  await app.init();
  const generated = !process.env.LOTSE_ACCOUNT_PASSWORD;
  const password = process.env.LOTSE_ACCOUNT_PASSWORD ?? randomBytes(12).toString('base64url');
  try {
    await app.get(AccountsService).create({
      username,
      password,
      role,
      actorId,
      name: username,
      ...(partner ? { partner: partner as PartnerSide } : {}),
    });
  } finally {
    await app.close();
  }
  console.log(
    `account ${username.toLowerCase()} (${role}, actor ${actorId}) added${generated ? `; password: ${password}` : ''}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof ConfigError) console.error(`Lotse cannot start: ${error.message}`);
    else if (error instanceof LotseError) console.error(`refused (${error.rule}): ${error.message}`);
    else console.error(`failed: ${error.message}`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
