"""The SimPy world: lots, nodes, legs, markets, wired by :class:`~.world.World`."""
