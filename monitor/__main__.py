"""`python -m monitor` is `dgwatch`, for subprocesses that must use this interpreter."""
from monitor.cli import main

main()
