export { createEnricher, type EnricherDeps } from './enricher.ts';
export { domainFacts } from './domain-facts.ts';
