"""The strangler-fig side: the migration state file, the routing plan, and the proxy renderers."""
