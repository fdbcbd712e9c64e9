import * as fs from 'node:fs';
import * as path from 'node:path';
import { childrenNamed, packageDirectoriesOf, readXmlFile, textOf } from '@handoff/schema';
import type { Store } from './store';
import { tableOf } from './tables';

export interface OrgIdentity {
  orgId: string;
  userId: string;
  profileId: string;
  username: string;
}

/**
 * The records a fresh org has: its Organization row, the System Administrator profile and the admin user the API
 * acts as, then the custom metadata records declared in force-app (read-only through the API, as in an org).
 */
export function seedOrg(
  store: Store,
  projectRoot: string,
  username: string,
  problems: string[] = [],
  keep?: OrgIdentity
): OrgIdentity {
  const existing = store.query(
    `SELECT Id, ProfileId FROM User WHERE Username = '${username.replace(/'/g, "\\'")}' LIMIT 1`
  )[0];
  const orgRow = store.query('SELECT Id FROM Organization LIMIT 1')[0];
  if (existing && orgRow) {
    seedQueues(store, projectRoot, problems);
    return { orgId: String(orgRow.Id), userId: String(existing.Id), profileId: String(existing.ProfileId), username };
  }
  const [orgId] = store.seed(
    'Organization',
    [
      {
        ...(keep ? { Id: keep.orgId } : {}),
        Name: 'Handoff Local Org',
        InstanceName: 'LOCAL',
        IsSandbox: false,
        OrganizationType: 'Developer Edition',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'GMT',
        FiscalYearStartMonth: 1
      }
    ],
    { system: true }
  );
  const [profileId] = store.seed(
    'Profile',
    [{ ...(keep ? { Id: keep.profileId } : {}), Name: 'System Administrator', UserType: 'Standard' }],
    { system: true }
  );
  const [userId] = store.seed(
    'User',
    [
      {
        ...(keep ? { Id: keep.userId } : {}),
        Username: username,
        FirstName: 'Local',
        LastName: 'Admin',
        Alias: 'ladmin',
        Email: username,
        IsActive: true,
        ProfileId: profileId,
        TimeZoneSidKey: 'GMT',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        UserType: 'Standard'
      }
    ],
    { system: true }
  );
  // The org, profile and user were created before there was a user to create them: attribute them to the admin.
  for (const object of ['Organization', 'Profile', 'User']) {
    store.db.run(`UPDATE ${tableOf(object)} SET createdbyid = ?, lastmodifiedbyid = ? WHERE createdbyid IS NULL`, [
      userId!,
      userId!
    ]);
  }
  // Every org has an active standard price book.
  if (store.schema.object('Pricebook2')) {
    store.seed('Pricebook2', [{ Name: 'Standard Price Book', IsActive: true, IsStandard: true }], { system: true });
  }
  seedCustomMetadata(store, projectRoot, problems);
  seedQueues(store, projectRoot, problems);
  return { orgId: orgId!, userId: userId!, profileId: profileId!, username };
}

/** `customMetadata/<Type>.<Record>.md-meta.xml` files as records of their `<Type>__mdt` object. */
function seedCustomMetadata(store: Store, projectRoot: string, problems: string[]): void {
  for (const dir of packageDirectoriesOf(projectRoot)) {
    for (const folder of findFolders(dir, 'customMetadata')) {
      for (const file of fs.readdirSync(folder).sort()) {
        const match = /^(\w+)\.(\w+)\.md-meta\.xml$/.exec(file);
        const object = match && store.schema.object(`${match[1]}__mdt`);
        if (!match || !object) continue;
        let xml;
        try {
          xml = readXmlFile(path.join(folder, file));
        } catch {
          continue; // the metadata gate reports unreadable files
        }
        const values: Record<string, unknown> = {
          DeveloperName: match[2],
          MasterLabel: textOf(xml, 'label') ?? match[2],
          Label: textOf(xml, 'label') ?? match[2],
          QualifiedApiName: match[2]
        };
        for (const value of childrenNamed(xml, 'values')) {
          const field = textOf(value, 'field');
          const valueElement = value.children.find((element) => element.name === 'value');
          const nil = valueElement?.attributes['xsi:nil'] === 'true';
          if (field && store.schema.field(object.name, field))
            values[field] = nil ? null : (valueElement?.text ?? null);
        }
        try {
          store.seed(object.name, [values], { system: true });
        } catch (error) {
          problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
}

/**
 * `queues/<Name>.queue-meta.xml` files as Group records of Type Queue (as a deploy creates them), added to an org that
 * lacks them, so code that finds a queue by DeveloperName (the outbox consumer's dead-letter owner) finds it offline.
 */
function seedQueues(store: Store, projectRoot: string, problems: string[]): void {
  if (!store.schema.object('Group')) return;
  for (const dir of packageDirectoriesOf(projectRoot)) {
    for (const folder of findFolders(dir, 'queues')) {
      for (const file of fs.readdirSync(folder).sort()) {
        const match = /^(\w+)\.queue-meta\.xml$/.exec(file);
        if (!match) continue;
        const present = store.query(`SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = '${match[1]}'`);
        if (present.length > 0) continue;
        try {
          const xml = readXmlFile(path.join(folder, file));
          store.seed('Group', [{ Name: textOf(xml, 'name') ?? match[1], DeveloperName: match[1], Type: 'Queue' }], {
            system: true
          });
        } catch (error) {
          problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
}

function findFolders(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === name) found.push(full);
    else found.push(...findFolders(full, name));
  }
  return found;
}
