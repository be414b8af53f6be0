"""Imported last by the fork server, after everything members' processes need.

`gc.freeze()` moves every object imported so far out of the garbage collector's reach, so
collections in members' processes never write to those pages: forked processes keep sharing
them instead of each getting a private copy (copy-on-write).
"""

import gc

gc.collect()
gc.freeze()
