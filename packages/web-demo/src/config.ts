/** Where the demo finds the gateway, read at run time: the stack serves `config.json` beside the page. */
export interface DemoConfig {
  /** The gateway's GraphQL URL (HTTP; subscriptions use the same URL over WebSocket). */
  gatewayUrl: string;
}

/** `?gateway=<url>` first, then `config.json`, then port 4000 on the page's host (`npm start`'s default). */
export async function loadConfig(): Promise<DemoConfig> {
  const fromQuery = new URLSearchParams(location.search).get('gateway');
  if (fromQuery) return { gatewayUrl: fromQuery };
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as Partial<DemoConfig>;
      if (typeof config.gatewayUrl === 'string') return { gatewayUrl: config.gatewayUrl };
    }
  } catch {
    // No config.json (e.g. `vite` dev server): fall back to the default below.
  }
  return { gatewayUrl: `${location.protocol}//${location.hostname}:4000/graphql` };
}
