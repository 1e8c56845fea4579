export { appendAuditEvent, appendAuditEvents, listAuditEvents, readChain, type AuditEntry, type AuditFilter } from './audit.repository.ts';
export { findFirstBreak, type ChainBreak } from './domain/hash-chain.ts';
export { verifyAuditChain, describeChainReport } from './audit.verify.ts';
