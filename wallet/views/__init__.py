"""The wallet's views, split by noun."""
