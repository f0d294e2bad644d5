import { PasswordSource } from '../../../src/server/coordinator';

test('session passwords are 16 random bytes each, distinct across blocks, and not views of one another', () => {
  const source = new PasswordSource();
  const passwords = Array.from({ length: 600 }, () => source.next()); // crosses two block refills
  expect(passwords.every((p) => p.length === 16)).toBe(true);
  expect(new Set(passwords.map((p) => p.toString('hex'))).size).toBe(600);
  const copy = Buffer.from(passwords[1]);
  passwords[0].fill(0);
  passwords[2].fill(0);
  expect(passwords[1]).toEqual(copy);
});
