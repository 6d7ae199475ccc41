#!/usr/bin/env python3
# Test exec service that will not leave: ignores SIGTERM and keeps running
# after its stdin closes. Only SIGKILL ends it (shutdown test).
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stderr.write("ready\n")
sys.stderr.flush()
while True:
    time.sleep(3600)
