import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has a working default for everything not required', () => {
    expect(loadConfig({})).toEqual({
      environment: 'production',
      host: '0.0.0.0',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './data',
      sessionSecret: undefined,
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      signInAttemptsPerMinute: 10,
      lockoutAfterFailures: 5,
      lockoutMinutes: 15,
      bodyLimitBytes: 1_048_576,
      smtpUrl: undefined,
      mailFrom: 'Police and crime plans <no-reply@localhost>',
      logLevel: 'info',
      trustProxy: false,
      gitCommit: undefined,
      secureCookies: false,
      jobs: true,
    });
  });

  it('reads and coerces every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '8080',
      PUBLIC_URL: 'https://plans.example.org/',
      DATABASE_URL: 'postgresql://user@db:5432/plans',
      DATA_DIR: '/var/lib/plans',
      SESSION_SECRET: 's'.repeat(32),
      SESSION_IDLE_MINUTES: '20',
      SESSION_ABSOLUTE_HOURS: '8',
      SIGN_IN_ATTEMPTS_PER_MINUTE: '6',
      LOCKOUT_AFTER_FAILURES: '3',
      LOCKOUT_MINUTES: '30',
      BODY_LIMIT_BYTES: '2048',
      SMTP_URL: 'smtps://mail.example.org:465',
      MAIL_FROM: 'Plans <plans@example.org>',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      GIT_COMMIT: 'abc1234',
      JOBS: 'false',
    });
    expect(config).toMatchObject({
      environment: 'development',
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'https://plans.example.org',
      databaseUrl: 'postgresql://user@db:5432/plans',
      dataDir: '/var/lib/plans',
      sessionIdleMinutes: 20,
      sessionAbsoluteHours: 8,
      signInAttemptsPerMinute: 6,
      lockoutAfterFailures: 3,
      lockoutMinutes: 30,
      bodyLimitBytes: 2048,
      smtpUrl: 'smtps://mail.example.org:465',
      logLevel: 'warn',
      trustProxy: true,
      gitCommit: 'abc1234',
      secureCookies: true,
      jobs: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses secure cookies only when PUBLIC_URL is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://plans.example.org' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://plans.example.org' }).secureCookies).toBe(false);
    expect(loadConfig({ PORT: '4000' })).toMatchObject({ publicUrl: 'http://localhost:4000', secureCookies: false });
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', SESSION_SECRET: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      sessionSecret: undefined,
    });
  });

  it('reports every bad variable at once, each by name', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'staging',
        PORT: '70000',
        PUBLIC_URL: 'plans.example.org',
        DATABASE_URL: 'mysql://db/plans',
        SESSION_SECRET: 'short',
        BODY_LIMIT_BYTES: '10',
        SMTP_URL: 'http://mail',
        LOG_LEVEL: 'loud',
        TRUST_PROXY: 'yes',
        SESSION_IDLE_MINUTES: 'soon',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      [
        'BODY_LIMIT_BYTES',
        'DATABASE_URL',
        'LOG_LEVEL',
        'NODE_ENV',
        'PORT',
        'PUBLIC_URL',
        'SESSION_IDLE_MINUTES',
        'SESSION_SECRET',
        'SMTP_URL',
        'TRUST_PROXY',
      ].sort(),
    );
    expect(problems).toContain('PUBLIC_URL must be an absolute URL such as https://plans.example.org');
    expect(problems).toContain('DATABASE_URL must start with postgres:// or postgresql://');
    expect(problems).toContain('SESSION_SECRET must be at least 32 characters');
    expect(problems).toContain('SMTP_URL must start with smtp:// or smtps://');
    expect((error as ConfigError).message).toMatch(/^Configuration is not valid:\n {2}- /);
    for (const problem of problems) expect((error as ConfigError).message).toContain(`  - ${problem}`);
  });
});
