"""Change detection, scheduling, reports and the dgwatch command line."""
