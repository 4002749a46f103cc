import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  type KMSClient,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessKey, type AwsServer, awsError, startAwsServer } from './aws-harness.js';

// Grants and key policies through the real AWS SDK: a principal with no
// policy of its own is let in and out by them alone, on every door.
const ACCOUNT = 'arn:aws:iam::111122223333';
const plaintext = new TextEncoder().encode('grant me');

let server: AwsServer;
let admin: KMSClient;
let counter = 0;

interface Caller {
  readonly id: string;
  readonly arn: string;
  readonly kms: KMSClient;
  readonly token: string;
}

beforeAll(async () => {
  server = await startAwsServer({ maxGrantsPerKey: 5 });
  admin = server.client();
});
afterAll(async () => {
  await server.close();
});

/** A new principal without policies, with an access key and a REST token. */
async function newCaller(): Promise<Caller> {
  const id = `user/grantee-${String(++counter)}`;
  expect((await server.rest('POST', '/principals', { id, kind: 'user' })).status).toBe(201);
  const key = await server.rest('POST', '/access-keys', { principal: id });
  const token = await server.rest('POST', '/tokens', { principal: id });
  return {
    id,
    arn: `${ACCOUNT}:${id}`,
    kms: server.client(key.body as unknown as AccessKey),
    token: String(token.body.token),
  };
}

async function newKeyId(spec?: 'RSA_2048'): Promise<string> {
  const out = await admin.send(
    new CreateKeyCommand(spec === undefined ? {} : { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }),
  );
  return out.KeyMetadata?.KeyId ?? '';
}

function encrypt(caller: Caller, keyId: string, context?: Record<string, string>) {
  return caller.kms.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
  );
}

/** REST encrypt as the caller: grants and key policies hold on every door. */
async function restEncrypt(caller: Caller, keyId: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/keys/${keyId}/encrypt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${caller.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ plaintext: Buffer.from(plaintext).toString('base64') }),
  });
  await response.body?.cancel();
  return response.status;
}

function putPolicy(keyId: string, statements: unknown[]) {
  return admin.send(
    new PutKeyPolicyCommand({
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
}

describe('grants', () => {
  it('a principal without policy is denied, may encrypt once granted (AWS and REST), and is denied again once the grant is retired', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    expect(await awsError(encrypt(caller, keyId))).toBe('AccessDeniedException');
    expect(await restEncrypt(caller, keyId)).toBe(403);

    const grant = await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: caller.arn,
        Operations: ['Encrypt', 'Decrypt'],
        Name: 'app',
      }),
    );
    expect(grant.GrantId).toMatch(/^[0-9a-f]{64}$/);
    const sealed = await encrypt(caller, keyId);
    const opened = await caller.kms.send(
      new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, KeyId: keyId }),
    );
    expect(Buffer.from(opened.Plaintext ?? [])).toEqual(Buffer.from(plaintext));
    expect(await restEncrypt(caller, keyId)).toBe(200);
    // Only what was granted: DescribeKey was not.
    expect(await awsError(caller.kms.send(new DescribeKeyCommand({ KeyId: keyId })))).toBe(
      'AccessDeniedException',
    );

    await admin.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
    expect(await awsError(encrypt(caller, keyId))).toBe('AccessDeniedException');
    expect(await restEncrypt(caller, keyId)).toBe(403);
    expect((await admin.send(new ListGrantsCommand({ KeyId: keyId }))).Grants).toEqual([]);
  });

  it('ListGrants reports AWS GrantListEntry shapes; a retry by Name returns the same grant with a new token', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    const input = {
      KeyId: keyId,
      GranteePrincipal: caller.arn,
      RetiringPrincipal: `${ACCOUNT}:service/retirer`,
      Operations: ['Encrypt' as const, 'GenerateDataKey' as const],
      Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      Name: 'idempotent',
    };
    const first = await admin.send(new CreateGrantCommand(input));
    const again = await admin.send(new CreateGrantCommand(input));
    expect(again.GrantId).toBe(first.GrantId);
    expect(again.GrantToken).not.toBe(first.GrantToken);
    const other = await admin.send(new CreateGrantCommand({ ...input, Operations: ['Encrypt'] }));
    expect(other.GrantId).not.toBe(first.GrantId);

    const listed = await admin.send(
      new ListGrantsCommand({ KeyId: keyId, GrantId: first.GrantId }),
    );
    expect(listed.Grants).toHaveLength(1);
    expect(listed.Grants?.[0]).toMatchObject({
      KeyId: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
      GrantId: first.GrantId,
      Name: 'idempotent',
      GranteePrincipal: caller.arn,
      RetiringPrincipal: `${ACCOUNT}:service/retirer`,
      IssuingAccount: `${ACCOUNT}:root`,
      Operations: ['Encrypt', 'GenerateDataKey'],
      Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
    });
    expect(listed.Grants?.[0]?.CreationDate).toBeInstanceOf(Date);
    const byGrantee = await admin.send(
      new ListGrantsCommand({ KeyId: keyId, GranteePrincipal: caller.arn, Limit: 1 }),
    );
    expect(byGrantee.Grants).toHaveLength(1);
    expect(byGrantee.Truncated).toBe(true);
    const next = await admin.send(
      new ListGrantsCommand({
        KeyId: keyId,
        GranteePrincipal: caller.arn,
        Marker: byGrantee.NextMarker,
      }),
    );
    expect(next.Grants).toHaveLength(1);
    expect(next.Truncated).toBe(false);
    const retirable = await admin.send(
      new ListRetirableGrantsCommand({ RetiringPrincipal: `${ACCOUNT}:service/retirer` }),
    );
    expect(retirable.Grants?.map((g) => g.GrantId).sort()).toEqual(
      [first.GrantId, other.GrantId].sort(),
    );
  });

  it('enforces EncryptionContextSubset and EncryptionContextEquals (keys case-insensitive, values exact)', async () => {
    const caller = await newCaller();
    const subsetKey = await newKeyId();
    const equalsKey = await newKeyId();
    await admin.send(
      new CreateGrantCommand({
        KeyId: subsetKey,
        GranteePrincipal: caller.arn,
        Operations: ['Encrypt', 'DescribeKey'],
        Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      }),
    );
    await admin.send(
      new CreateGrantCommand({
        KeyId: equalsKey,
        GranteePrincipal: caller.arn,
        Operations: ['Encrypt'],
        Constraints: { EncryptionContextEquals: { tenant: 'acme' } },
      }),
    );
    await encrypt(caller, subsetKey, { tenant: 'acme', purpose: 'x' });
    await encrypt(caller, subsetKey, { TENANT: 'acme' });
    expect(await awsError(encrypt(caller, subsetKey, { tenant: 'ACME' }))).toBe(
      'AccessDeniedException',
    );
    expect(await awsError(encrypt(caller, subsetKey))).toBe('AccessDeniedException');
    // The constraint does not apply to operations that take no context.
    await caller.kms.send(new DescribeKeyCommand({ KeyId: subsetKey }));

    await encrypt(caller, equalsKey, { tenant: 'acme' });
    expect(await awsError(encrypt(caller, equalsKey, { tenant: 'acme', purpose: 'x' }))).toBe(
      'AccessDeniedException',
    );
    expect(await awsError(encrypt(caller, equalsKey))).toBe('AccessDeniedException');
  });

  it('RetireGrant by key and grant id for the retiring principal or the grantee holding RetireGrant; RevokeGrant needs kms:RevokeGrant', async () => {
    const grantee = await newCaller();
    const retirer = await newCaller();
    const keyId = await newKeyId();
    const byRetirer = await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: grantee.arn,
        RetiringPrincipal: retirer.arn,
        Operations: ['Encrypt'],
      }),
    );
    const bySelf = await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: grantee.arn,
        Operations: ['RetireGrant', 'Encrypt'],
      }),
    );
    const revoked = await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: grantee.arn,
        Operations: ['Encrypt'],
      }),
    );
    // The grantee's RetireGrant covers its own grant only.
    expect(
      await awsError(
        grantee.kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byRetirer.GrantId })),
      ),
    ).toBe('AccessDeniedException');
    await retirer.kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byRetirer.GrantId }));
    await grantee.kms.send(new RetireGrantCommand({ GrantToken: bySelf.GrantToken }));
    expect(
      await awsError(
        grantee.kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: revoked.GrantId })),
      ),
    ).toBe('AccessDeniedException');
    await admin.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: revoked.GrantId }));
    expect(await awsError(encrypt(grantee, keyId))).toBe('AccessDeniedException');
    expect(
      await awsError(
        admin.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: revoked.GrantId })),
      ),
    ).toBe('NotFoundException');
  });

  it('a grantee holding CreateGrant may pass on only what it holds, under constraints as strict', async () => {
    const holder = await newCaller();
    const other = await newCaller();
    const keyId = await newKeyId();
    await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: holder.arn,
        Operations: ['CreateGrant', 'Encrypt'],
        Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      }),
    );
    const pass = (
      ops: ('Encrypt' | 'Decrypt')[],
      constraints?: Record<string, Record<string, string>>,
    ) =>
      holder.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: other.arn,
          Operations: ops,
          Constraints: constraints,
        }),
      );
    expect(await awsError(pass(['Decrypt'], { EncryptionContextSubset: { tenant: 'acme' } }))).toBe(
      'ValidationException',
    );
    expect(await awsError(pass(['Encrypt']))).toBe('ValidationException');
    expect(
      await awsError(pass(['Encrypt'], { EncryptionContextSubset: { tenant: 'other' } })),
    ).toBe('ValidationException');
    await pass(['Encrypt'], { EncryptionContextEquals: { tenant: 'acme', app: 'x' } });
    await encrypt(other, keyId, { tenant: 'acme', app: 'x' });
  });

  it('a key holds at most maxGrantsPerKey grants (LimitExceededException); retiring one makes room', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    const create = () =>
      admin.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: caller.arn,
          Operations: ['Encrypt'],
        }),
      );
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await create());
    expect(await awsError(create())).toBe('LimitExceededException');
    await admin.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: made[0]?.GrantId }));
    await create();
  });

  it('refuses malformed grants, ids and tokens with AWS exceptions, changing nothing', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    const signingKey = await newKeyId('RSA_2048');
    const create = (input: Partial<ConstructorParameters<typeof CreateGrantCommand>[0]>) =>
      awsError(
        admin.send(
          new CreateGrantCommand({
            KeyId: keyId,
            GranteePrincipal: caller.arn,
            Operations: ['Encrypt'],
            ...input,
          }),
        ),
      );
    expect(await create({ Operations: ['Explode' as 'Encrypt'] })).toBe('ValidationException');
    expect(await create({ Operations: ['DeriveSharedSecret'] })).toBe('ValidationException');
    expect(await create({ Operations: [] })).toBe('ValidationException');
    expect(await create({ GranteePrincipal: 'arn:aws:iam::999999999999:user/x' })).toBe(
      'ValidationException',
    );
    expect(await create({ Name: 'bad name!' })).toBe('ValidationException');
    expect(
      await create({ Constraints: { EncryptionContextSubset: { ['k'.repeat(500)]: 'v' } } }),
    ).toBe('ValidationException');
    expect(
      await create({
        KeyId: signingKey,
        Operations: ['Sign'],
        Constraints: { EncryptionContextSubset: { a: 'b' } },
      }),
    ).toBe('ValidationException');
    expect(
      await create({
        KeyId: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000',
      }),
    ).toBe('NotFoundException');
    expect((await admin.send(new ListGrantsCommand({ KeyId: keyId }))).Grants).toEqual([]);
    expect(await awsError(admin.send(new RetireGrantCommand({ GrantToken: 'not-a-token' })))).toBe(
      'InvalidGrantTokenException',
    );
    expect(await awsError(admin.send(new RetireGrantCommand({ KeyId: keyId, GrantId: 'g' })))).toBe(
      'InvalidGrantIdException',
    );
    expect(await awsError(admin.send(new RetireGrantCommand({ KeyId: keyId })))).toBe(
      'ValidationException',
    );
    expect(
      await awsError(admin.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'f'.repeat(64) }))),
    ).toBe('NotFoundException');
    // A principal with no policy may not create grants, nor list them.
    expect(
      await awsError(
        caller.kms.send(
          new CreateGrantCommand({
            KeyId: keyId,
            GranteePrincipal: caller.arn,
            Operations: ['Encrypt'],
          }),
        ),
      ),
    ).toBe('AccessDeniedException');
    expect(await awsError(caller.kms.send(new ListGrantsCommand({ KeyId: keyId })))).toBe(
      'AccessDeniedException',
    );
  });
});

describe('key policies', () => {
  it('GetKeyPolicy answers AWS’s default policy until one is put, then the document as put', async () => {
    const keyId = await newKeyId();
    expect((await admin.send(new ListKeyPoliciesCommand({ KeyId: keyId }))).PolicyNames).toEqual([
      'default',
    ]);
    const initial = await admin.send(
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
    expect(JSON.parse(initial.Policy ?? '')).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `${ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    // Putting the default back is accepted and changes nothing.
    await admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: initial.Policy }));
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'users', Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    await admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: text }));
    expect((await admin.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(text);
  });

  it('an Allow naming the principal lets it in on every door; a Deny keeps it out whatever else allows', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    await putPolicy(keyId, [
      { Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'app',
        Effect: 'Allow',
        Principal: { AWS: [caller.arn] },
        Action: ['kms:Encrypt', 'kms:decrypt'],
        Resource: '*',
      },
    ]);
    await encrypt(caller, keyId);
    expect(await restEncrypt(caller, keyId)).toBe(200);
    expect(await awsError(caller.kms.send(new DescribeKeyCommand({ KeyId: keyId })))).toBe(
      'AccessDeniedException',
    );

    await admin.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: caller.arn,
        Operations: ['Encrypt', 'DescribeKey'],
      }),
    );
    await caller.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    await putPolicy(keyId, [
      { Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'app',
        Effect: 'Allow',
        Principal: { AWS: caller.arn },
        Action: 'kms:Encrypt',
        Resource: '*',
      },
      {
        Sid: 'no',
        Effect: 'Deny',
        Principal: { AWS: caller.arn },
        Action: 'kms:Encrypt',
        Resource: '*',
      },
    ]);
    expect(await awsError(encrypt(caller, keyId))).toBe('AccessDeniedException');
    expect(await restEncrypt(caller, keyId)).toBe(403);
    // The deny names Encrypt only; the grant still gives DescribeKey.
    await caller.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  });

  it('a policy that does not allow the account leaves out principals allowed only by their own policies; root keeps every right', async () => {
    const caller = await newCaller();
    expect(
      (
        await server.rest('PUT', '/policies/encrypt-any', {
          version: '2026-11-01',
          statements: [{ effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }],
        })
      ).status,
    ).toBeLessThan(300);
    const keyId = await newKeyId();
    const attach = await server.rest('POST', '/principals', {
      id: `${caller.id}-own`,
      kind: 'user',
      policies: ['encrypt-any'],
    });
    expect(attach.status).toBe(201);
    const own = await server.rest('POST', '/access-keys', { principal: `${caller.id}-own` });
    const ownKms = server.client(own.body as unknown as AccessKey);
    const encryptOwn = () =>
      ownKms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    await encryptOwn();
    await putPolicy(keyId, [
      { Effect: 'Allow', Principal: { AWS: caller.arn }, Action: 'kms:Encrypt', Resource: '*' },
    ]);
    expect(await awsError(encryptOwn())).toBe('AccessDeniedException');
    await encrypt(caller, keyId);
    // The access key behind `admin` is root's: the key policy never binds root.
    await admin.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    await putPolicy(keyId, [
      { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*' },
    ]);
    await encryptOwn();
    expect(await awsError(encrypt(caller, keyId))).toBe('AccessDeniedException');
  });

  it('conditions on kms:EncryptionContext:<key> with StringEquals and StringLike', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    await putPolicy(keyId, [
      {
        Effect: 'Allow',
        Principal: { AWS: caller.arn },
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:EncryptionContext:tenant': ['acme', 'globex'] },
          StringLike: { 'kms:EncryptionContext:app': 'billing-?-*' },
        },
      },
    ]);
    await encrypt(caller, keyId, { tenant: 'globex', app: 'billing-1-eu' });
    expect(await awsError(encrypt(caller, keyId, { tenant: 'initech', app: 'billing-1-eu' }))).toBe(
      'AccessDeniedException',
    );
    expect(await awsError(encrypt(caller, keyId, { tenant: 'acme', app: 'billing-12-eu' }))).toBe(
      'AccessDeniedException',
    );
    expect(await awsError(encrypt(caller, keyId))).toBe('AccessDeniedException');
  });

  it('refuses what it cannot enforce with MalformedPolicyDocumentException, keeping the policy it had', async () => {
    const keyId = await newKeyId();
    const allow = { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' };
    const cases: unknown[] = [
      'not json',
      JSON.stringify([]),
      JSON.stringify({ Version: '2012-10-17' }),
      JSON.stringify({ Version: '2000-01-01', Statement: [allow] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [allow], Extra: 1 }),
      [{ ...allow, NotPrincipal: { AWS: '*' } }],
      [{ ...allow, Effect: 'Maybe' }],
      [{ ...allow, Principal: { Service: 'ec2.amazonaws.com' } }],
      [{ ...allow, Principal: { AWS: 'arn:aws:iam::999999999999:root' } }],
      [{ ...allow, Principal: { AWS: 'arn:aws:iam::111122223333:anonymous' } }],
      [{ ...allow, Action: 'kms:Encrpyt' }],
      [{ ...allow, Action: 's3:GetObject' }],
      [{ ...allow, Resource: 'arn:aws:kms:us-east-1:111122223333:key/other' }],
      [{ ...allow, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }],
      [
        {
          ...allow,
          Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
        },
      ],
      [{ ...allow, Condition: { StringEquals: { 'kms:EncryptionContext:a': 1 } } }],
    ];
    for (const policy of cases) {
      const text =
        typeof policy === 'string'
          ? policy
          : JSON.stringify({ Version: '2012-10-17', Statement: policy });
      const name = await awsError(
        admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: text })),
      );
      expect([text, name]).toEqual([text, 'MalformedPolicyDocumentException']);
    }
    const stored = await admin.send(new GetKeyPolicyCommand({ KeyId: keyId }));
    expect(JSON.parse(stored.Policy ?? '')).toMatchObject({ Id: 'key-default-1' });
    expect(
      await awsError(
        admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: 'x', PolicyName: 'other' })),
      ),
    ).toBe('ValidationException');
    expect(
      await awsError(
        admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: 'x'.repeat(32769) })),
      ),
    ).toBe('ValidationException');
  });

  it('a principal without permissions may neither read nor write the policy, nor learn whether a key exists', async () => {
    const caller = await newCaller();
    const keyId = await newKeyId();
    // Nor learn whether a key exists: a missing one is refused alike.
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const command of [
      new GetKeyPolicyCommand({ KeyId: missing }),
      new ListGrantsCommand({ KeyId: missing }),
      new CreateGrantCommand({
        KeyId: missing,
        GranteePrincipal: caller.arn,
        Operations: ['Encrypt'],
      }),
      new RevokeGrantCommand({ KeyId: missing, GrantId: 'f'.repeat(64) }),
    ]) {
      expect(await awsError(caller.kms.send(command as never))).toBe('AccessDeniedException');
    }
    expect(await awsError(caller.kms.send(new GetKeyPolicyCommand({ KeyId: keyId })))).toBe(
      'AccessDeniedException',
    );
    expect(
      await awsError(
        caller.kms.send(
          new PutKeyPolicyCommand({
            KeyId: keyId,
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }],
            }),
          }),
        ),
      ),
    ).toBe('AccessDeniedException');
  });
});
