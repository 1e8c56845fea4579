import type { Executor } from '../db/database.ts';
import { readChain } from './audit.repository.ts';
import { findFirstBreak, GENESIS_HASH, type ChainBreak } from './domain/hash-chain.ts';

export type ChainReport = { isIntact: true; checked: number } | { isIntact: false; checked: number; brokenAt: ChainBreak };

/** Streams the whole chain, checking each row against the one before it. */
export async function verifyAuditChain(db: Executor): Promise<ChainReport> {
  let previous = GENESIS_HASH;
  let checked = 0;
  for await (const event of readChain(db)) {
    const brokenAt = findFirstBreak([event], previous);
    if (brokenAt) return { isIntact: false, checked, brokenAt };
    previous = event.hash;
    checked += 1;
  }
  return { isIntact: true, checked };
}

export function describeChainReport(report: ChainReport): string {
  if (report.isIntact) return `Audit log intact: ${report.checked} entries verified.`;
  const reason =
    report.brokenAt.reason === 'hash_mismatch' ? 'its contents do not match its hash' : 'it does not link to the entry before it';
  return `Audit log broken at entry ${report.brokenAt.id}: ${reason}. ${report.checked} entries before it verified.`;
}
