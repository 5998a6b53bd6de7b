"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""
