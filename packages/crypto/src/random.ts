import { randomBytes, randomUUID } from 'node:crypto';

export function randomBytesOf(length: number): Buffer {
  return randomBytes(length);
}

export function newUuid(): string {
  return randomUUID();
}
