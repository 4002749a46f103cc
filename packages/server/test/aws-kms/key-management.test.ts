import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, awsError, startAwsServer } from './aws-harness.js';

const ARN_RE = /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/;

let server: AwsServer;
let kms: KMSClient;
beforeAll(async () => {
  server = await startAwsServer();
  kms = server.client();
});
afterAll(async () => {
  await server.close();
});

async function newKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) {
  const out = await kms.send(new CreateKeyCommand(input));
  const meta = out.KeyMetadata;
  if (meta?.KeyId === undefined || meta.Arn === undefined) throw new Error('no key metadata');
  return { id: meta.KeyId, arn: meta.Arn, meta };
}

describe('keys and their metadata', () => {
  it('CreateKey defaults to a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key with an AWS-shaped ARN', async () => {
    const { meta } = await newKey({ Description: 'first', Tags: [{ TagKey: 'a', TagValue: '1' }] });
    expect(meta.Arn).toMatch(ARN_RE);
    expect(meta).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Enabled: true,
      Origin: 'AWS_KMS',
      Description: 'first',
      AWSAccountId: '111122223333',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    });
    expect(meta.CreationDate).toBeInstanceOf(Date);
  });

  it('DescribeKey accepts a key id, key ARN, alias name and alias ARN', async () => {
    const { id, arn } = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: id }));
    const refs = [
      id,
      arn,
      'alias/describe-me',
      'arn:aws:kms:us-east-1:111122223333:alias/describe-me',
    ];
    for (const KeyId of refs) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId }));
      expect(out.KeyMetadata?.KeyId).toBe(id);
    }
  });

  it('unknown keys, foreign ARNs and missing parameters are NotFound and ValidationException', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await awsError(kms.send(new DescribeKeyCommand({ KeyId: missing })))).toBe(
      'NotFoundException',
    );
    const foreign = `arn:aws:kms:eu-west-1:111122223333:key/${missing}`;
    expect(await awsError(kms.send(new DescribeKeyCommand({ KeyId: foreign })))).toBe(
      'NotFoundException',
    );
    expect(await awsError(kms.send(new DescribeKeyCommand({} as { KeyId: string })))).toBe(
      'ValidationException',
    );
  });

  it('ListKeys pages with Limit and Marker', async () => {
    await newKey();
    await newKey();
    const first = await kms.send(new ListKeysCommand({ Limit: 1 }));
    expect(first.Keys).toHaveLength(1);
    expect(first.Truncated).toBe(true);
    const second = await kms.send(new ListKeysCommand({ Limit: 1, Marker: first.NextMarker }));
    expect(second.Keys?.[0]?.KeyId).not.toBe(first.Keys?.[0]?.KeyId);
    expect(second.Keys?.[0]?.KeyArn).toMatch(ARN_RE);
  });

  it('UpdateKeyDescription', async () => {
    const { id } = await newKey();
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: id, Description: 'changed' }));
    const out = await kms.send(new DescribeKeyCommand({ KeyId: id }));
    expect(out.KeyMetadata?.Description).toBe('changed');
  });
});

describe('aliases', () => {
  it('CreateAlias, UpdateAlias, ListAliases and DeleteAlias', async () => {
    const a = await newKey();
    const b = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: a.arn }));
    expect(
      await awsError(
        kms.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: a.id })),
      ),
    ).toBe('AlreadyExistsException');
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: b.id }));
    const listed = await kms.send(new ListAliasesCommand({ KeyId: b.id }));
    expect(listed.Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/moving',
        AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/moving',
        TargetKeyId: b.id,
      }),
    ]);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/moving' }));
    expect(await awsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/moving' })))).toBe(
      'NotFoundException',
    );
  });
});

describe('lifecycle', () => {
  it('DisableKey makes Encrypt fail with DisabledException; EnableKey restores it', async () => {
    const { id } = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: id }));
    const encrypt = new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') });
    expect(await awsError(kms.send(encrypt))).toBe('DisabledException');
    await kms.send(new EnableKeyCommand({ KeyId: id }));
    await kms.send(encrypt);
  });

  it('ScheduleKeyDeletion gives KMSInvalidStateException on use; CancelKeyDeletion leaves it Disabled', async () => {
    const { id, arn } = await newKey();
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({
      KeyId: arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
    expect(
      await awsError(kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') }))),
    ).toBe('KMSInvalidStateException');
    const cancelled = await kms.send(new CancelKeyDeletionCommand({ KeyId: id }));
    expect(cancelled.KeyId).toBe(arn);
    const out = await kms.send(new DescribeKeyCommand({ KeyId: id }));
    expect(out.KeyMetadata?.KeyState).toBe('Disabled');
    expect(
      await awsError(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 3 })),
      ),
    ).toBe('ValidationException');
  });
});

describe('rotation', () => {
  it('EnableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations, DisableKeyRotation', async () => {
    const { id, arn } = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 90 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }));
    expect(status).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
      KeyId: arn,
    });
    expect(status.NextRotationDate).toBeInstanceOf(Date);
    const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    expect(rotated.KeyId).toBe(arn);
    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: id }));
    expect(rotations.Rotations).toHaveLength(1);
    expect(rotations.Rotations?.[0]?.RotationType).toBe('ON_DEMAND');
    await kms.send(new DisableKeyRotationCommand({ KeyId: id }));
    const after = await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }));
    expect(after.KeyRotationEnabled).toBe(false);
  });
});

describe('tags', () => {
  it('TagResource, ListResourceTags, UntagResource', async () => {
    const { id } = await newKey();
    await kms.send(
      new TagResourceCommand({
        KeyId: id,
        Tags: [
          { TagKey: 'team', TagValue: 'billing' },
          { TagKey: 'env', TagValue: 'prod' },
        ],
      }),
    );
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: id }));
    expect(tags.Tags).toEqual([
      { TagKey: 'env', TagValue: 'prod' },
      { TagKey: 'team', TagValue: 'billing' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId: id, TagKeys: ['env'] }));
    const after = await kms.send(new ListResourceTagsCommand({ KeyId: id }));
    expect(after.Tags).toEqual([{ TagKey: 'team', TagValue: 'billing' }]);
  });
});

describe('imported key material', () => {
  it('GetParametersForImport, ImportKeyMaterial (RSAES_OAEP_SHA_256), DeleteImportedKeyMaterial', async () => {
    const { id } = await newKey({ Origin: 'EXTERNAL' });
    const before = await kms.send(new DescribeKeyCommand({ KeyId: id }));
    expect(before.KeyMetadata).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    const params = await kms.send(
      new GetParametersForImportCommand({
        KeyId: id,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    const material = randomBytes(32);
    const wrapped = publicEncrypt(
      {
        key: createPublicKey({
          key: Buffer.from(params.PublicKey ?? []),
          format: 'der',
          type: 'spki',
        }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      material,
    );
    await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: id,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapped,
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    const after = await kms.send(new DescribeKeyCommand({ KeyId: id }));
    expect(after.KeyMetadata?.KeyState).toBe('Enabled');
    await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('imported') }));
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: id }));
    const deleted = await kms.send(new DescribeKeyCommand({ KeyId: id }));
    expect(deleted.KeyMetadata?.KeyState).toBe('PendingImport');
  });
});
