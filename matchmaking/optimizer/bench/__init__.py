"""Benchmarks of the optimiser: `python -m matchmaking.optimizer.bench --write FILE`."""
