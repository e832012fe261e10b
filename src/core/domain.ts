/** Whether `host` is `domain` or one of its subdomains (app.acmeanalytics.com within acmeanalytics.com). */
export function withinDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
