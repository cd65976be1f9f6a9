import { describe, expect, it } from 'vitest';
import { hasRole, ROLES } from './roles.ts';

describe('hasRole', () => {
  it('orders admin above content manager above viewer', () => {
    const granted = ROLES.flatMap((role) => ROLES.filter((min) => hasRole(role, min)).map((min) => `${role}>=${min}`));
    expect(granted.sort()).toEqual(
      [
        'admin>=admin',
        'admin>=content_manager',
        'admin>=viewer',
        'content_manager>=content_manager',
        'content_manager>=viewer',
        'viewer>=viewer',
      ].sort(),
    );
  });
});
