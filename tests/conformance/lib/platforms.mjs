// A platform's configuration keys for startManifold, on a loopback fake: the documented
// Manifold__Platforms__<name>__{Plugin,BaseUrl,Accounts__0__Key}, so a suite names its platforms in one line each.

/** `name` served by `plugin` on `fake` (anything with `baseUrl` and `key`, as the fakes in lib/ are). */
export function platform(name, plugin, fake) {
  return {
    [`Manifold__Platforms__${name}__Plugin`]: plugin,
    [`Manifold__Platforms__${name}__BaseUrl`]: fake.baseUrl,
    [`Manifold__Platforms__${name}__Accounts__0__Key`]: fake.key,
  };
}
