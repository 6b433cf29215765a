/**
 * The browser's small memory: the chosen language and whether a session was open. Never
 * anything secret (the session token is an HttpOnly cookie), and a browser that refuses
 * storage only loses these conveniences.
 */
export function preference (key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined
  } catch {
    return undefined
  }
}

export function setPreference (key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // Storage refused (private mode, policy): the preference lasts until the page closes.
  }
}
