// One plugin's nx.json options read by another, so an option is written once: the
// builders' folder (read by the foreign-bundle and lambda plugins), the docker root
// (read by the checks plugin).

type PluginEntry = string | { plugin: string; options?: unknown };

/** The options of the plugin whose path ends in `<name>`, `<name>.ts` or `<name>.js` (its JavaScript entry), or {} when it has none. */
export function pluginOptionsOf<T>(nxJson: { plugins?: PluginEntry[] } | undefined, name: string): Partial<T> {
  const pattern = new RegExp(`(^|/)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[jt]s)?$`);
  const entry = (nxJson?.plugins ?? []).find((p): p is { plugin: string; options?: unknown } => typeof p === 'object' && pattern.test(p.plugin));
  return (entry?.options as Partial<T> | undefined) ?? {};
}
