// Where the local registry is. Port 5001 is jindr's (5000 is taken on macOS, by AirPlay).
// Everything that speaks to the registry itself (our HTTP calls, the address it listens on,
// Nx's readyWhen) uses 127.0.0.1, not "localhost": the registry listens on IPv4 only, and
// localhost may resolve to ::1 first, which nothing answers. Image names keep make's and
// jindr's spelling, localhost:5001/…: docker resolves that name itself and, like every
// loopback registry, talks plain HTTP to it without configuration.
export const REGISTRY_PORT = 5001;

/** `127.0.0.1:5001`: where the registry listens. */
export const REGISTRY_ADDRESS = `127.0.0.1:${REGISTRY_PORT}`;

/** `http://127.0.0.1:5001`: the registry's HTTP API. */
export const REGISTRY_URL = `http://${REGISTRY_ADDRESS}`;

/** `localhost:5001`: the registry as image names spell it. */
export const REGISTRY_HOST = `localhost:${REGISTRY_PORT}`;
