/**
 * Values that are secrets whatever field they are in: webhook and ping URLs, URLs with a password or
 * a credential in their query string, tokens. One check for every place a string from the
 * configuration reaches `dist/` (routing receivers, remote write, Grafana's URLs, Elasticsearch URLs,
 * the S3 endpoint) and for configuration errors, which must not echo such a value. Kept specific so
 * that templates, channel names and dashboard links do not trip it.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/https?:\/\/hooks\.slack\.com\//i, 'a Slack webhook URL'],
  [/https?:\/\/(?:[a-z0-9-]+\.)?discord(?:app)?\.com\/api\/webhooks\//i, 'a Discord webhook URL'],
  [/https?:\/\/[^\s/]*\.(?:webhook\.office\.com|logic\.azure\.com|environment\.api\.powerplatform\.com)[/:]/i, 'a Microsoft Teams webhook URL'],
  [/https?:\/\/(?:hc-ping\.com|[^\s/]*healthchecks\.io\/ping)\//i, 'a healthchecks ping URL'],
  [/https?:\/\/api\.telegram\.org\/bot/i, 'a Telegram bot URL'],
  // Any scheme: Loki's `s3://KEY:SECRET@region/bucket` form too.
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/@]+:[^\s/@]*@/i, 'a URL with a password'],
  [/[?&](?:token|access_token|api[-_]?key|apikey|key|secret|sig|signature|password|code)=[^&\s{]/i, 'a URL with a credential in its query string'],
  // `client_secret=`, `refresh_token=`, `db_password=`: a parameter whose name ends with a secret's name.
  [/[?&][\w.-]*[-_.](?:secret|token|password|passwd|api[-_]?key)=[^&\s{]/i, 'a URL with a credential in its query string'],
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/, 'a Slack token'],
  [/\bxapp-[A-Za-z0-9-]{8,}/, 'a Slack app token'],
  [/^[a-zA-Z0-9]{32}$/, 'a PagerDuty-style integration/routing key'],
];

/** Why a string looks like a secret value, or undefined. */
export function secretLikeReason(value: string): string | undefined {
  for (const [re, reason] of SECRET_PATTERNS) if (re.test(value)) return reason;
  return undefined;
}

/** Whether a URL carries user information (`user@`, `user:password@`), which ends up in clear text wherever the URL is written. */
export function urlHasUserinfo(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*@/i.test(url);
}
