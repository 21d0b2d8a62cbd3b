// Passwords: argon2id (OWASP parameters), and the policy staff passwords must meet.
import { hash, verify } from '@node-rs/argon2';
import { SbError } from '../core/errors.ts';

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, so not importable under isolatedModules)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** At least 10 characters from at least two classes (letters, digits, other); not the username. */
export function checkPasswordPolicy(password: string, username: string): void {
  const classes = [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length;
  if (
    password.length < 10 ||
    password.length > 128 ||
    classes < 2 ||
    password.toLowerCase().includes(username.toLowerCase())
  ) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'password',
      zh: '密码至少10位，包含字母、数字、符号中的两类，且不得包含用户名',
      en: 'the password needs at least 10 characters from two of letters, digits and symbols, without the username',
    });
  }
}
