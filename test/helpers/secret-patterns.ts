/** Patterns of secret values: chat webhooks with tokens, bot tokens, credentials in URLs, key material. */
export const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['Slack webhook', /hooks\.slack\.com\/services\//],
  ['Slack token', /xox[abpr]-/],
  ['Discord webhook', /discord(app)?\.com\/api\/webhooks\//],
  ['Teams webhook', /webhook\.office\.com/],
  ['credentials in a URL', /[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['inline password field', /^\s*(password|auth_password|api_key|routing_key|service_key|bearer_token|client_secret):\s*\S/m],
];
