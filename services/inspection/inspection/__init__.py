"""The inspection service: 双随机一公开 directories, plans, verifiable draws, tasks, results."""
